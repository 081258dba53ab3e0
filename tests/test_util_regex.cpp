#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "util/regex.hpp"

using namespace bbx::util;
using namespace std::chrono_literals;

namespace {

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// Runs f and returns its result and how long it took.
template <class F>
auto timed(F f) {
  auto start = std::chrono::steady_clock::now();
  auto result = f();
  return std::pair{result, std::chrono::steady_clock::now() - start};
}

}  // namespace

TEST_CASE("(?i) works at the start and inline") {
  CHECK(Regex::compile("(?i)error|fatal").matches("2026 FATAL: disk"));
  CHECK(Regex::compile("(?i)error|fatal").matches("an Error"));
  CHECK_FALSE(Regex::compile("error|fatal").matches("an Error"));
  auto inline_flag = Regex::compile("a(?i)b");
  CHECK(inline_flag.matches("aB"));
  CHECK_FALSE(inline_flag.matches("AB"));
  CHECK(Regex::compile("x(?i:y)z").matches("xYz"));
  CHECK_FALSE(Regex::compile("x(?i:y)z").matches("xYZ"));
}

TEST_CASE("search finds the pattern anywhere, full_match needs all of the text") {
  auto re = Regex::compile("/api/v[0-9]+/items/[0-9]+");
  CHECK(re.search("GET /api/v2/items/7 HTTP/1.1") == RegexMatch::yes);
  CHECK(re.full_match("GET /api/v2/items/7 HTTP/1.1") == RegexMatch::no);
  CHECK(re.full_match("/api/v2/items/7") == RegexMatch::yes);
  CHECK(re.full_match("/api/v2/items/7/") == RegexMatch::no);
  CHECK(re.search("/api/vX/items/7") == RegexMatch::no);
  // Every alternative is tried before full_match fails, as std::regex_match does.
  CHECK(Regex::compile("a|ab").full_match("ab") == RegexMatch::yes);
  CHECK(Regex::compile("").full_match("") == RegexMatch::yes);
  CHECK(Regex::compile("").search(std::string_view()) == RegexMatch::yes);
}

TEST_CASE("$ matches only at the very end unless (?m), as in ECMAScript") {
  CHECK_FALSE(Regex::compile("ok$").matches("ok\n"));
  CHECK(Regex::compile("ok\\n?$").matches("ok\n"));
  CHECK(Regex::compile("(?m)^ok$").matches("no\nok\nno"));
  CHECK_FALSE(Regex::compile("^ok$").matches("no\nok\nno"));
}

TEST_CASE("captures give each group's text, or nothing when it did not take part") {
  auto re = Regex::compile("^GET (\\w+)(?: (\\d+))?");
  CHECK(re.group_count() == 2);
  RegexCaptures caps;
  CHECK(caps.size() == 0);
  REQUIRE(re.search("GET key rest", caps) == RegexMatch::yes);
  CHECK(caps.size() == 3);
  CHECK(caps[0] == "GET key");
  CHECK(caps[1] == "key");
  CHECK_FALSE(caps[2]);
  CHECK_FALSE(caps[9]);
  REQUIRE(re.search("GET key 42", caps) == RegexMatch::yes);
  CHECK(caps[2] == "42");
  CHECK(re.search("SET key", caps) == RegexMatch::no);

  CHECK(Regex::compile("a()b").search("ab", caps) == RegexMatch::yes);
  CHECK(caps[1] == "");  // matched empty: present, empty

  // More groups than $0..$9: the first ten are reported.
  auto many = Regex::compile("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)");
  REQUIRE(many.search("abcdefghijk", caps) == RegexMatch::yes);
  CHECK(caps.size() == RegexCaptures::kMaxGroups);
  CHECK(caps[9] == "i");
  CHECK_FALSE(caps[10]);

  REQUIRE(Regex::compile("(\\d+)-(\\d+)").full_match("10-20", caps) == RegexMatch::yes);
  CHECK(caps[2] == "20");
}

TEST_CASE("lookarounds, backreferences and named groups are PCRE2's") {
  CHECK(Regex::compile("foo(?=bar)").matches("foobar"));
  CHECK_FALSE(Regex::compile("foo(?!bar)").matches("foobar"));
  CHECK(Regex::compile("(?<=id=)\\d+").matches("id=7"));
  CHECK(Regex::compile("(\\w)\\1").matches("hello"));
  CHECK(Regex::compile("(?<word>o)\\k<word>").matches("foo"));
  CHECK(Regex::compile("a.*?b").matches("axxbyyb"));
}

TEST_CASE("an invalid pattern is an error naming what and where") {
  try {
    Regex::compile("(abc");
    FAIL("no error");
  } catch (const RegexError& e) {
    CHECK(std::string(e.what()) == "missing closing parenthesis at offset 4");
    CHECK(e.offset() == 4);
  }
  std::string error;
  CHECK_FALSE(Regex::try_compile("a[b", &error));
  CHECK(error == "missing terminating ] for character class at offset 3");
  CHECK_FALSE(Regex::try_compile("x{2,1}"));
  CHECK_THROWS_AS(Regex::compile("\xff"), RegexError);  // patterns are UTF-8
  CHECK(Regex::try_compile("(?i)ok", &error)->pattern() == "(?i)ok");
}

TEST_CASE("patterns ending inside \\Q or a (?x) comment, and leading settings, still compile") {
  CHECK(Regex::compile("(?x) a b # comment").matches("ab"));
  CHECK(Regex::compile("a\\Q(").matches("a("));
  CHECK(Regex::compile("(*LIMIT_MATCH=1000)a|b").matches("b"));
  CHECK(Regex::compile("(*UCP)\\w").matches("\xc3\xa9"));
  CHECK(Regex::compile("x|y").search("ay") == RegexMatch::yes);
  CHECK(Regex::compile("(?C1)x").matches("x"));  // the pattern's own callouts are harmless
}

TEST_CASE("(a|b)*c over 100 KB neither crashes nor hangs") {
  const std::string ab = repeat("ab", 50'000);
  auto re = Regex::compile("(a|b)*c");
  auto [no_c, took] = timed([&] { return re.search(ab); });
  CHECK(no_c != RegexMatch::yes);
  CHECK(took < 1s);
  // Limits leave room for the real match, one group iteration per character.
  const std::string abc = ab + "c";
  RegexCaptures caps;
  CHECK(re.search(abc, caps) == RegexMatch::yes);
  CHECK(caps[0] == abc);
  CHECK(re.full_match(abc) == RegexMatch::yes);
  // Without the JIT (PCRE2 interprets): ~28 MiB of backtracking frames, within the heap limit.
  CHECK(Regex::compile("(*NO_JIT)(a|b)*c").search(abc, caps) == RegexMatch::yes);
  CHECK(caps[0] == abc);
  CHECK(Regex::compile("(*NO_JIT)(a|b)*c").full_match(abc) == RegexMatch::yes);
}

TEST_CASE("pathological searches end as too_complex in bounded time") {
  const std::string ab = repeat("ab", 50'000);
  // Quadratic: every start position runs to the end (12 s unbounded); the time budget ends it.
  for (const char* pattern : {"(a|b)*[cd]", "(?x) (a|b)* [cd] # comment ends the pattern", "(*NO_JIT)(a|b)*[cd]"}) {
    CAPTURE(pattern);
    auto [result, took] = timed([&] { return Regex::compile(pattern).search(ab); });
    CHECK(result == RegexMatch::too_complex);
    CHECK(took < RegexLimits::search_time + 1s);
  }
  // Exponential in one start position: the step limit ends it.
  auto [result, took] = timed([&] { return Regex::compile("(a+)+$").search(std::string(40, 'a') + "b"); });
  CHECK(result == RegexMatch::too_complex);
  CHECK(took < 1s);
  CHECK_FALSE(Regex::compile("(a+)+$").matches(std::string(40, 'a') + "b"));  // too_complex is no
  CHECK(Regex::compile("^(a|aa)*$").full_match(std::string(80, 'a') + "b") == RegexMatch::too_complex);
}

TEST_CASE("a 60,000-character line matches normally") {
  std::string line = repeat("word ", 12'000);
  CHECK(line.size() == 60'000);
  CHECK(Regex::compile("listening on .*:8080").search(line + "listening on 127.0.0.1:8080") == RegexMatch::yes);
  CHECK(Regex::compile("listening on .*:8080").search(line) == RegexMatch::no);
  CHECK(Regex::compile("^(\\w+ )*$").search(line) == RegexMatch::yes);
  CHECK(Regex::compile("(?i)ERROR").search(line + "error") == RegexMatch::yes);
  RegexCaptures caps;
  line += "last";
  CHECK(Regex::compile("^(.*) (\\w+)$").search(line, caps) == RegexMatch::yes);
  CHECK(caps[2] == "last");
}

TEST_CASE("a 7,000-byte path full-matches") {
  std::string path = "/";
  path += repeat("seg/", 1'750);
  path += "42";
  CHECK(path.size() == 7'003);
  CHECK(Regex::compile("/([a-z]+/)+[0-9]+").full_match(path) == RegexMatch::yes);
  CHECK(Regex::compile("/(seg/)*[0-9]+").full_match(path) == RegexMatch::yes);
  CHECK(Regex::compile("/([a-z]+/)+[a-z]+").full_match(path) == RegexMatch::no);
}

TEST_CASE("invalid UTF-8 in the text neither fails nor crashes; invalid bytes match nothing") {
  const std::string garbage = "\xff\xfe" "error \xc3(\xe2\x82 \xed\xa0\x80 fatal \xf0\x9f";
  CHECK(Regex::compile("error").search(garbage) == RegexMatch::yes);
  CHECK(Regex::compile("(?i)FATAL").search(garbage) == RegexMatch::yes);
  CHECK(Regex::compile("(a|b)*fatal").search(garbage) == RegexMatch::yes);
  CHECK(Regex::compile("nothing").search(garbage) == RegexMatch::no);
  CHECK(Regex::compile("a.b").search("a\xff" "b") == RegexMatch::no);
  CHECK(Regex::compile(".*").full_match("x\xffy") == RegexMatch::no);
  RegexCaptures caps;
  CHECK(Regex::compile("(\\w+) \\W").search(garbage, caps) == RegexMatch::no);  // \W does not match \xc3
  CHECK(Regex::compile("(\\w+) ").search(garbage, caps) == RegexMatch::yes);
  CHECK(caps[1] == "error");
  // Characters, not bytes: é is one `.`, and (?i) folds it.
  CHECK(Regex::compile("^.$").full_match("\xc3\xa9") == RegexMatch::yes);
  CHECK(Regex::compile("(?i)\xc3\xa9").matches("\xc3\x89"));
}

TEST_CASE("one Regex and its copies match from several threads at once") {
  const auto shared = Regex::compile("^(GET|SET) (\\w+)");
  const std::string pathological = repeat("ab", 1'000);  // quadratic, but ~5 ms
  const auto slow = Regex::compile("(a|b)*[cd]");
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Regex copy = shared;
      RegexCaptures caps;
      for (int i = 0; i < 20'000; ++i) {
        const std::string key = std::to_string(t) + "_" + std::to_string(i);
        std::string line = i % 3 ? "GET " : "SET ";
        line += key;
        const Regex& re = i % 2 ? copy : shared;
        if (re.search(line, caps) != RegexMatch::yes || caps[2] != key || caps[1] != line.substr(0, 3) ||
            re.matches(line.replace(0, 3, "DEL")))
          ++failures[static_cast<std::size_t>(t)];
        if (i % 5'000 == 0 && slow.search(pathological) != RegexMatch::no) ++failures[static_cast<std::size_t>(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == std::vector<int>(4, 0));
}
