// BodyRef: the fields of an event body read from its text answer as its parsed tree does.
#include <doctest/doctest.h>

#include "journal/body_ref.hpp"

using namespace bbx::journal;
using nlohmann::json;

namespace {

// The same questions to the tree read back from the compact text and to the text.
void same_answers(const json& written, const std::vector<std::string>& keys) {
  auto text = written.dump();
  auto tree = json::parse(text);
  auto raw = BodyRef::over_text(text);
  REQUIRE(raw);
  BodyRef parsed(tree);
  for (const auto& k : keys) {
    INFO(text, " key ", k);
    CHECK(raw->has(k) == parsed.has(k));
    CHECK(raw->str(k, "fb") == parsed.str(k, "fb"));
    CHECK(raw->num(k, -7) == parsed.num(k, -7));
    CHECK(raw->real(k, -7.5) == parsed.real(k, -7.5));
    CHECK(raw->flag(k) == parsed.flag(k));
    CHECK(raw->object(k).has_value() == parsed.object(k).has_value());
    if (raw->object(k)) CHECK(raw->object(k)->json() == parsed.object(k)->json());
    CHECK(raw->items(k) == parsed.items(k));
    CHECK(raw->unsigned_items(k) == parsed.unsigned_items(k));
  }
  CHECK(raw->json() == parsed.json());
}

}  // namespace

TEST_CASE("strings, numbers, flags, objects and arrays read from text as from the tree") {
  json body = {{"s", "plain"},
               {"esc", "a \"quoted\" \\ path\n\ttab \x01 ctl"},
               {"uni", "caf\u00e9 \xF0\x9F\x98\x80"},
               {"i", -42},
               {"u", 18446744073709551615ull},
               {"f", 2.5},
               {"t", true},
               {"no", false},
               {"null", nullptr},
               {"obj", {{"kind", "subject"}, {"name", "shop"}, {"pid", 42}}},
               {"argv", {"bbx-fixture", "--x", 3, nullptr, json::object()}},
               {"evidence", {3, -1, 1.5, 12, "7"}},
               {"empty", json::array()},
               {"nested", json::parse(R"({"a":{"b":[1,{"c":"}]"}]}})")}};
  same_answers(body, {"s", "esc", "uni", "i", "u", "f", "t", "no", "null", "obj", "argv", "evidence", "empty", "nested",
                      "missing"});
  same_answers(json::object(), {"x"});
}

TEST_CASE("a control character or a non-ASCII character written as \\u is decoded") {
  CHECK(json_text::decode_string(R"("a\u0001b\u00e9\ud83d\ude00")") == "a\x01" "b\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(json_text::decode_string(R"("\"\\\/\b\f\n\r\t")") == "\"\\/\b\f\n\r\t");
  // Text between escapes is copied as it is (an access log's line, quotes escaped).
  CHECK(json_text::decode_string(R"("1.2.3.4 - \"GET /a HTTP/1.1\" 200\tok\\")") == "1.2.3.4 - \"GET /a HTTP/1.1\" 200\tok\\");
}

TEST_CASE("text that is not a compact object is refused, to be parsed instead") {
  CHECK_FALSE(BodyRef::over_text(""));
  CHECK_FALSE(BodyRef::over_text("[1]"));
  CHECK_FALSE(BodyRef::over_text("{ \"a\":1}"));
  CHECK_FALSE(BodyRef::over_text("{\"a\":\"unterminated}"));
  CHECK_FALSE(BodyRef::over_text("{\"a\":1}x"));
  CHECK_FALSE(BodyRef::over_text("{\"a\"1}"));
  json many = json::object();
  for (std::size_t i = 0; i <= BodyRef::kMaxFields; ++i) many[std::to_string(i)] = i;
  CHECK_FALSE(BodyRef::over_text(many.dump()));
  CHECK(BodyRef::over_text("{}"));
  CHECK(json_text::skip_value(R"({"a":["]",{"b":"}"}]},1)", 0) == 21);
}
