// The timeline's filters and its text output over a small recorded journal
// (views_test_support.hpp, 27 events, seq N at N-1 ms): each filter alone and combined, points by time, seq and mark,
// windows around a seq and around failures, the JSON pass-through, and bad input.
#include <doctest/doctest.h>

#include <sstream>

#include "bbx/error.hpp"
#include "journal/stored_journal.hpp"
#include "views/timeline_filter.hpp"
#include "views/timeline_text.hpp"
#include "views_test_support.hpp"

using namespace bbx;
using namespace bbx::views;

namespace {

std::vector<std::uint64_t> seqs_shown(const TimelineFilterSpec& spec, views::TimelineTextOptions options = {}) {
  static testing::JournalFile file("timeline_filter");
  static auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  TimelineFilter f(spec);
  f.resolve(j, path.string());
  std::ostringstream out;
  write_timeline_text(j, f, out, options);
  std::vector<std::uint64_t> seqs;
  std::istringstream lines(out.str());
  for (std::string line; std::getline(lines, line);) {
    if (options.json) {
      seqs.push_back(nlohmann::json::parse(line)["seq"].get<std::uint64_t>());
      continue;
    }
    auto hash = line.find("  #");
    seqs.push_back(std::stoull(line.substr(hash + 3)));
  }
  return seqs;
}

std::string text_of(const TimelineFilterSpec& spec) {
  static testing::JournalFile file("timeline_text");
  static auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  TimelineFilter f(spec);
  f.resolve(j, path.string());
  std::ostringstream out;
  write_timeline_text(j, f, out, {});
  return out.str();
}

using Seqs = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("without filters every event is one line in the shared format, in seq order") {
  auto seqs = seqs_shown({});
  REQUIRE(seqs.size() == 27);
  for (std::uint64_t i = 0; i < 27; ++i) CHECK(seqs[i] == i + 1);
  auto text = text_of({});
  CHECK(text.find("+0.004s  #5  [front:stderr]  listening on 127.0.0.1:8080 </script> & done\n") != std::string::npos);
  CHECK(text.find("+0.007s  #8  [fake:api]  GET /a from front (pid 11, 127.0.0.1:5001) -> route 1 (0 body bytes)\n") != std::string::npos);
}

TEST_CASE("--source admits labels, names and kinds, globs, and a subject's streams by its name") {
  CHECK(seqs_shown({.sources = {"front:stderr"}}) == Seqs{5});
  CHECK(seqs_shown({.sources = {"back"}}) == Seqs{4, 6, 26});
  CHECK(seqs_shown({.sources = {"assert"}}) == Seqs{23, 24});
  CHECK(seqs_shown({.sources = {"fake:t*"}}) == Seqs{19, 22});
  CHECK(seqs_shown({.sources = {"back", "fake:tcp"}}) == Seqs{4, 6, 19, 22, 26});
}

TEST_CASE("--type takes names and globs over the catalogue; a type nobody appends is refused with a suggestion") {
  CHECK(seqs_shown({.types = {"http.request"}}) == Seqs{8, 9, 16});
  CHECK(seqs_shown({.types = {"step.*"}}) == Seqs{7, 13, 15, 18});
  CHECK(seqs_shown({.types = {"mark", "assert.fail"}}) == Seqs{14, 23});
  try {
    TimelineFilter f({.types = {"http.requests"}});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid_input);
    CHECK(std::string(e.what()).find("did you mean 'http.request'") != std::string::npos);
  }
  CHECK_THROWS_AS(TimelineFilter({.types = {"nothing.*"}}), Error);
}

TEST_CASE("--grep searches the printed line; a bad regex is invalid input") {
  CHECK(seqs_shown({.grep = "from (front|back) "}) == Seqs{8, 9});
  CHECK(seqs_shown({.grep = "#14 "}) == Seqs{14});
  CHECK(seqs_shown({.grep = "(?i)EXITED"}) == Seqs{25, 26});
  CHECK_THROWS_AS(TimelineFilter({.grep = "(unclosed"}), Error);
}

TEST_CASE("--since and --until take times, seqs and mark names, inclusive") {
  CHECK(seqs_shown({.since = "24ms"}) == Seqs{25, 26, 27});  // seq N is at N-1 ms
  CHECK(seqs_shown({.since = "+0.0235s", .until = "25ms"}) == Seqs{25, 26});
  CHECK(seqs_shown({.until = "#3"}) == Seqs{1, 2, 3});
  CHECK(seqs_shown({.since = "25"}) == Seqs{25, 26, 27});
  CHECK(seqs_shown({.since = "after first", .until = "#15"}) == Seqs{14, 15});
  CHECK(seqs_shown({.types = {"step.begin"}, .since = "mark:after first"}) == Seqs{15});
  try {
    seqs_shown({.since = "no such mark"});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("no mark 'no such mark'") != std::string::npos);
    CHECK(std::string(e.what()).find("its marks: after first") != std::string::npos);
  }
  CHECK_THROWS_AS(TimelineFilter({.since = "#x"}), Error);
}

TEST_CASE("--around SEQ±N shows N events either side; +-N and the default 10 work too") {
  CHECK(seqs_shown({.around = "10±2"}) == Seqs{8, 9, 10, 11, 12});
  CHECK(seqs_shown({.around = "#2+-1"}) == Seqs{1, 2, 3});
  CHECK(seqs_shown({.around = "20"}).size() == 18);  // 10..27 (20+10 is past the end)
  CHECK_THROWS_AS(parse_around("ten"), Error);
  CHECK_THROWS_AS(parse_around("10±x"), Error);
}

TEST_CASE("--failures shows the neighbourhood of each failed assertion and of the events it cites") {
  auto seqs = seqs_shown({.failures = true});
  // assert.fail is #23 (13..27); its evidence #8 and #9 add 1..19.
  CHECK(seqs.size() == 27);
  auto narrowed = seqs_shown({.types = {"assert.*"}, .failures = true});
  CHECK(narrowed == Seqs{23, 24});
  CHECK(seqs_shown({.around = "3±1", .failures = true}) == Seqs{2, 3, 4});
}

TEST_CASE("--json passes the admitted events through as journal lines") {
  CHECK(seqs_shown({.types = {"mark"}}, {.json = true}) == Seqs{14});
}

TEST_CASE("a colour line keeps the format and adds ANSI codes by source") {
  testing::JournalFile file("timeline_colour");
  auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  TimelineFilter f({.types = {"assert.fail"}});
  f.resolve(j, "x");
  std::ostringstream out;
  write_timeline_text(j, f, out, {.color = true});
  CHECK(out.str().find("\x1b[1;31m[assertions]") == std::string::npos);
  CHECK(out.str().find("  #23  \x1b[1;31m[assert]\x1b[0m  FAILED: ") != std::string::npos);
}
