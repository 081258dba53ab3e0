#include <doctest/doctest.h>

#include <map>
#include <vector>

#include "util/json_sink.hpp"

using bbx::util::JsonTextSink;
using bbx::util::JsonTreeSink;

namespace {

template <class Sink>
void write_sample(Sink& s) {
  std::vector<std::pair<std::string, std::string>> headers = {{"Host", "a:1"}, {"X-Q", "say \"hi\"\\\n\t"}};
  s.str("plain", "GET");
  s.str("escaped", "line1\nline2 \"q\" \\ caf\xc3\xa9 \x01");
  s.str("empty", "");
  s.num("negative", -42);
  s.unum("big", 18446744073709551615ull);
  s.boolean("yes", true);
  s.boolean("no", false);
  s.json("nested", nlohmann::json{{"a", {1, 2}}, {"b", nullptr}});
  s.pairs("headers", headers, [](const auto& h) { return std::pair<std::string_view, std::string_view>(h.first, h.second); });
  s.pairs("none", std::vector<int>{}, [](int) { return std::pair<std::string_view, std::string_view>("", ""); });
}

}  // namespace

TEST_CASE("the text sink writes JSON that parses to what the tree sink builds") {
  JsonTreeSink tree;
  write_sample(tree);
  bbx::util::TextBuffer text;
  text.literal("prefix:");
  JsonTextSink sink(text);
  write_sample(sink);
  sink.close();
  REQUIRE(text.view().starts_with("prefix:{"));
  auto parsed = nlohmann::json::parse(text.view().substr(7));
  auto built = tree.take();
  CHECK(parsed == built);
  CHECK(built.at("headers") == nlohmann::json::parse(R"([["Host","a:1"],["X-Q","say \"hi\"\\\n\t"]])"));
  CHECK(built.at("none") == nlohmann::json::array());
  CHECK(built.at("big").get<std::uint64_t>() == 18446744073709551615ull);
}

TEST_CASE("the text sink writes an empty object and escapes invalid UTF-8 as \\xHH so the text still parses") {
  bbx::util::TextBuffer text;
  JsonTextSink empty(text);
  empty.close();
  CHECK(text.view() == "{}");
  text.clear();
  JsonTextSink bad(text);
  bad.str("raw", "ok \xff\xfe end");
  bad.close();
  CHECK(nlohmann::json::parse(text.view()).at("raw") == "ok \\xFF\\xFE end");
}

// Found by fuzz/fuzz_http_request.cpp (fuzz/regressions/http_request/invalid-utf8-target): the
// tree held the raw bytes where the text held \xHH, so a live check (tree) and a stored
// journal (text) read different requests, and the tree could not be dumped.
TEST_CASE("the tree sink holds invalid UTF-8 as \\xHH, as the text sink writes it") {
  auto write = [](auto& s) {
    s.str("target", "/\xff\xfe");
    std::vector<std::pair<std::string, std::string>> headers = {{"X-Bin\xc3", "\xc3("}};
    s.pairs("headers", headers, [](const auto& h) { return std::pair<std::string_view, std::string_view>(h.first, h.second); });
  };
  JsonTreeSink tree;
  write(tree);
  bbx::util::TextBuffer text;
  JsonTextSink sink(text);
  write(sink);
  sink.close();
  auto built = tree.take();
  CHECK(nlohmann::json::parse(text.view()) == built);
  CHECK(built.at("target") == "/\\xFF\\xFE");
  CHECK(built.at("headers") == nlohmann::json::parse(R"([["X-Bin\\xC3","\\xC3("]])"));
  CHECK_NOTHROW((void)built.dump());
}
