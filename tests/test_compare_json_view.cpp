// A journal line parsed flat (JsonLine) and read through views (Val): the same values,
// lookups, member order and dump() text as the Boost.JSON tree it replaces.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <nlohmann/json.hpp>

#include "compare/json_view.hpp"

using namespace bbx::compare;

TEST_CASE("a parsed line reads its members, arrays, strings and numbers") {
  JsonLine line;
  REQUIRE(line.parse(R"({"seq":7,"big":18446744073709551615,"neg":-3,"d":1.5,"t":true,"n":null,)"
                     R"("s":"a\"b\\c\n\u00e9\ud83d\ude00","o":{"z":[1,[2,3],{"k":"v"}],"a":{}},"after":"x"})")
              .empty());
  Val root = line.root();
  REQUIRE(root.is_object());
  CHECK(root.size() == 9);
  CHECK(root["seq"].is_integer());
  CHECK(root["seq"].integer() == 7);
  CHECK(root["big"].is_integer());
  CHECK(root["big"].dump() == "18446744073709551615");
  CHECK(root["neg"].integer() == -3);
  CHECK(root["d"].is_number());
  CHECK_FALSE(root["d"].is_integer());
  CHECK(num(root, "d") == 1.5);
  CHECK(num(root, "seq") == 7.0);
  CHECK(flag(root, "t"));
  CHECK(root["n"].dump() == "null");
  CHECK_FALSE(root["n"].absent());
  CHECK(root["missing"].absent());
  CHECK(view(root, "s") == "a\"b\\c\n\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(str(root, "seq") == "7");
  // Nested containers are skipped over whole: the member after them is found.
  CHECK(str(root, "after") == "x");
  Val z = root["o"]["z"];
  REQUIRE(z.is_array());
  CHECK(z.size() == 3);
  CHECK(z.at(1).dump() == "[2,3]");
  CHECK(z.at(2)["k"].text() == "v");
  CHECK(z.elements().size() == 3);
  CHECK(root["o"]["a"].is_object());
  CHECK(root["o"]["a"].size() == 0);
  // dump() writes what nlohmann writes of the same document (sorted keys, its number format).
  auto same = nlohmann::json::parse(R"({"z":[1,[2,3],{"k":"v"}],"a":{}})").dump();
  CHECK(root["o"].dump() == same);
  CHECK(root["d"].dump() == nlohmann::json(1.5).dump());
}

TEST_CASE("members are sorted by name; a duplicate key reads as its last value") {
  JsonLine line;
  REQUIRE(line.parse(R"({"b":1,"a":2,"ab":3,"b":4,"A":5})").empty());
  auto m = line.root().members();
  REQUIRE(m.size() == 4);
  CHECK(m[0].first == "A");
  CHECK(m[1].first == "a");
  CHECK(m[2].first == "ab");
  CHECK(m[3].first == "b");
  CHECK(m[3].second.integer() == 4);
  CHECK(line.root()["b"].integer() == 4);
}

TEST_CASE("a line that is not one whole JSON document is refused with Boost.JSON's message") {
  JsonLine line;
  CHECK(line.parse(R"({"a":1)").rfind("not JSON: ", 0) == 0);
  CHECK(line.root().absent());
  CHECK(line.parse(R"({"a":1} x)").rfind("not JSON: ", 0) == 0);
  CHECK(line.parse("").rfind("not JSON: ", 0) == 0);
  // The messages are those of boost::json::parse on the same text.
  for (const char* bad : {R"({"a":1)", R"({"a":1} x)", "", R"({"a":tru})", R"({"a":"\x"})", "{\"a\":1,}"}) {
    boost::json::error_code ec;
    boost::json::parse(bad, ec);
    REQUIRE(ec);
    CHECK(line.parse(bad) == "not JSON: " + ec.message());
  }
  CHECK(line.parse("[1,2]").empty());  // JSON, not an object: the caller says so
  CHECK(line.root().is_array());
  // The buffers are reused: a new line's views are its own.
  REQUIRE(line.parse(R"({"k":"second"})").empty());
  CHECK(view(line.root(), "k") == "second");
}

TEST_CASE("strings without escapes are viewed in the line; escaped ones, however long, are decoded") {
  JsonLine line;
  // Longer than the parser's own buffer (4 KiB), so the escaped one comes in parts.
  std::string plain(10000, 'p'), escaped;
  for (int k = 0; k < 3000; ++k) escaped += "a\\n";
  const std::string text = R"({"plain":")" + plain + R"(","esc":")" + escaped + R"(","mixed":"x\"y","k":"v"})";
  REQUIRE(line.parse(text).empty());
  Val root = line.root();
  auto inside = [&](std::string_view v) { return v.data() >= text.data() && v.data() + v.size() <= text.data() + text.size(); };
  CHECK(view(root, "plain") == plain);
  CHECK(inside(view(root, "plain")));
  CHECK(inside(view(root, "k")));
  std::string decoded;
  for (int k = 0; k < 3000; ++k) decoded += "a\n";
  CHECK(view(root, "esc") == decoded);
  CHECK_FALSE(inside(view(root, "esc")));
  CHECK(view(root, "mixed") == "x\"y");
  CHECK(root.members().front().first == "esc");
}

TEST_CASE("members come in name order whatever shapes came before: repeated, alike, more than are remembered") {
  // The order is remembered per shape (the names in document order): objects with as many
  // names but other ones, a duplicate, names that differ only in length, and more shapes than
  // are remembered must each come out as nlohmann's sorted object does.
  std::vector<std::string> docs = {R"({"b":1,"a":2,"c":3})", R"({"b":1,"a":2,"d":3})", R"({"b":1,"a":2,"c":3})",
                                   R"({"b":1,"b":2,"c":3})", R"({"bb":1,"a":2,"c":3})", R"({"c":1,"a":2,"b":3})", R"({"b":1,"a":2,"c":3})"};
  for (int k = 0; k < 80; ++k)  // 80 shapes of their own
    docs.push_back("{\"k" + std::to_string(k) + "\":1,\"j\":2,\"z" + std::to_string(80 - k) + "\":3}");
  docs.push_back(R"({"b":1,"a":2,"c":3})");
  for (int round = 0; round < 2; ++round)
    for (const auto& doc : docs) {
      JsonLine line;
      REQUIRE(line.parse(doc).empty());
      std::vector<std::string> got, expected;
      for (const auto& [key, value] : line.root().members()) got.push_back(std::string(key) + "=" + value.dump());
      const auto tree = nlohmann::json::parse(doc);
      for (const auto& [key, value] : tree.items()) expected.push_back(key + "=" + value.dump());
      CHECK_MESSAGE(got == expected, doc);
    }
}

TEST_CASE("for_each_member gives an object's members in document order, duplicates included; nothing for the rest") {
  JsonLine line;
  REQUIRE(line.parse(R"({"b":1,"a":[2,3],"b":{"c":4},"d":"x"})").empty());
  std::vector<std::string> seen;
  line.root().for_each_member([&](std::string_view key, Val v) { seen.push_back(std::string(key) + "=" + v.dump()); });
  CHECK(seen == std::vector<std::string>{"b=1", "a=[2,3]", "b={\"c\":4}", "d=\"x\""});
  seen.clear();
  line.root()["a"].for_each_member([&](std::string_view key, Val) { seen.push_back(std::string(key)); });
  line.root()["zz"].for_each_member([&](std::string_view key, Val) { seen.push_back(std::string(key)); });
  CHECK(seen.empty());
}
