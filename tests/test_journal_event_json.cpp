// The events.jsonl line writers: the journal writer's (wall from nanoseconds, source and type
// from its EnvelopeCache) must write exactly the line event_to_json_line writes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "bbx/event.hpp"
#include "journal/event_json.hpp"
#include "util/clock.hpp"
#include "util/text_buffer.hpp"

namespace {

bbx::Event make(bbx::EventSource source, std::string type, std::uint64_t seq) {
  bbx::Event e;
  e.seq = seq;
  e.t_ns = static_cast<std::int64_t>(seq) * 1'000'123;
  e.source = std::move(source);
  e.type = std::move(type);
  e.body = {{"n", seq}};
  return e;
}

// The writer's line for e, formatted with the given cache.
std::string writer_line(const bbx::Event& e, bbx::journal::EnvelopeCache& cache) {
  constexpr std::int64_t kStart = 1'795'000'000'000'000'000;
  bbx::util::TextBuffer out;
  bbx::journal::append_event_json_line_at(out, e, nullptr, kStart + e.t_ns, cache);
  bbx::Event with_wall = e;
  with_wall.wall = bbx::util::rfc3339_utc(kStart + e.t_ns);
  CHECK(std::string(out.view()) == bbx::journal::event_to_json_line(with_wall));
  return std::string(out.view());
}

}  // namespace

TEST_CASE("the writer's lines equal event_to_json_line while sources and types repeat, alternate and change") {
  bbx::journal::EnvelopeCache cache;
  std::vector<bbx::Event> events;
  std::uint64_t seq = 0;
  for (int round = 0; round < 3; ++round) {  // alternating request/response, as the HTTP fake journals
    events.push_back(make({"fake", "api", 0}, "http.request", ++seq));
    events.push_back(make({"fake", "api", 0}, "http.response", ++seq));
  }
  // More distinct envelopes than the cache holds, then the first ones again (replaced entries).
  for (const char* name : {"a", "b", "c", "d", "e", "api"}) events.push_back(make({"fake", name, 0}, "http.request", ++seq));
  events.push_back(make({"subject", "api", 41}, "http.request", ++seq));  // same name and type, other kind and pid
  events.push_back(make({"subject", "api", 42}, "http.request", ++seq));  // only the pid differs
  events.push_back(make({"fake", "quote\"and\\slash \xff", 0}, "odd\ttype", ++seq));  // escaped once, reused
  events.push_back(make({"fake", "quote\"and\\slash \xff", 0}, "odd\ttype", ++seq));
  for (const auto& e : events) writer_line(e, cache);
}

TEST_CASE("a cached envelope is the same text as a fresh one") {
  bbx::journal::EnvelopeCache warm, cold;
  auto e = make({"probe", "listen", 0}, "probe.listening", 9);
  writer_line(e, warm);
  CHECK(warm.text(e) == cold.text(e));
  CHECK(std::string(cold.text(e)) == R"("source":{"kind":"probe","name":"listen","pid":0},"type":"probe.listening")");
}

TEST_CASE("event lines keep their key order and escape control characters") {
  bbx::Event e;
  e.seq = 1;
  e.type = "output.line";
  e.source = {"subject", "a", 1};
  e.body = {{"line", std::string("bell\x07")}};
  auto line = bbx::journal::event_to_json_line(e);
  CHECK(line.rfind("{\"seq\":1,\"t_ns\":0,\"wall\":", 0) == 0);
  CHECK(line.find("\\u0007") != std::string::npos);
  CHECK(line.back() == '\n');
  CHECK(bbx::journal::event_from_json_line(line).body["line"] == "bell\x07");
}

TEST_CASE("event envelope strings that need escaping round-trip; invalid UTF-8 bytes become \\xHH") {
  bbx::Event e;
  e.seq = 7;
  e.t_ns = -5;
  e.wall = "2026-11-22T05:40:01.123456Z";
  e.type = "step.begin";
  e.source = {"step", "http GET \"/a\\b\"\t\xc3\xa9", -1};
  e.attrs = {{"k", "v"}};
  auto line = bbx::journal::event_to_json_line(e);
  CHECK(line == "{\"seq\":7,\"t_ns\":-5,\"wall\":\"2026-11-22T05:40:01.123456Z\",\"source\":{\"kind\":\"step\","
                "\"name\":\"http GET \\\"/a\\\\b\\\"\\t\xc3\xa9\",\"pid\":-1},\"type\":\"step.begin\",\"body\":{},"
                "\"attrs\":{\"k\":\"v\"}}\n");
  auto back = bbx::journal::event_from_json_line(line);
  CHECK(back.source == e.source);
  CHECK(back.t_ns == -5);
  e.source.name = "bad \xff byte";
  CHECK(bbx::journal::event_from_json_line(bbx::journal::event_to_json_line(e)).source.name == "bad \\xFF byte");
}

TEST_CASE("a body string or key that is not UTF-8 is written with \\xHH, not U+FFFD: different bytes stay different") {
  bbx::Event e;
  e.seq = 1;
  e.type = "statsd.datagram";
  e.source = {"fake", "m", 0};
  e.body = {{"raw", std::string("a:1|c\xfe")}, {"nested", {{"k\xff", {std::string("\xfd")}}}}};
  auto back = bbx::journal::event_from_json_line(bbx::journal::event_to_json_line(e));
  CHECK(back.body["raw"] == "a:1|c\\xFE");
  CHECK(back.body["nested"]["k\\xFF"][0] == "\\xFD");
  e.body["raw"] = std::string("a:1|c\xfd");
  CHECK(bbx::journal::event_from_json_line(bbx::journal::event_to_json_line(e)).body["raw"] == "a:1|c\\xFD");
}

TEST_CASE("line_type finds the type without parsing, and not inside a string") {
  bbx::Event e;
  e.seq = 3;
  e.type = "http.request";
  e.source = {"fake", "say \"type\":\"mark\"", 0};
  e.body = {{"note", "\"type\":\"output.line\""}};
  CHECK(bbx::journal::line_type(bbx::journal::event_to_json_line(e)) == "http.request");
  CHECK(bbx::journal::line_type("not an event").empty());
  // Found by its 'y': names and strings full of them before it, at the very start, cut short.
  e.source = {"fake", "yyy \"typ\" y\"type\" \"type\":\"say\"", 0};
  CHECK(bbx::journal::line_type(bbx::journal::event_to_json_line(e)) == "http.request");
  CHECK(bbx::journal::line_type(R"("type":"first")") == "first");
  CHECK(bbx::journal::line_type(R"(yy"type":"x)").empty());  // no closing quote
  CHECK(bbx::journal::line_type(R"("type":)").empty());
  CHECK(bbx::journal::line_type("y").empty());
  CHECK(bbx::journal::line_type("").empty());
}

// Found by fuzz/fuzz_journal_reader.cpp (fuzz/regressions/journal_reader/t-ns-float): an
// envelope number that does not fit (t_ns 1e106) was converted by nlohmann with undefined
// behaviour (UBSan: outside the range of representable values) instead of being an error.
TEST_CASE("envelope numbers that are not integers in range are 'not an event'") {
  auto line = [](std::string seq, std::string t_ns, std::string pid) {
    return R"({"seq":)" + seq + R"(,"t_ns":)" + t_ns + R"(,"wall":"w","source":{"kind":"runner","name":"","pid":)" + pid +
           R"(},"type":"x","body":{},"attrs":{}})";
  };
  CHECK(bbx::journal::event_from_json_line(line("1", "-5", "7")).t_ns == -5);
  CHECK_THROWS_WITH_AS(bbx::journal::event_from_json_line(line("1", "1e106", "0")),
                       "not an event: t_ns 1e+106 is not an integer in range", std::invalid_argument);
  CHECK_THROWS_WITH_AS(bbx::journal::event_from_json_line(line("-1", "0", "0")),
                       "not an event: seq -1 is not an integer in range", std::invalid_argument);
  CHECK_THROWS_WITH_AS(bbx::journal::event_from_json_line(line("1", "0", "4294967296")),
                       "not an event: pid 4294967296 is not an integer in range", std::invalid_argument);
  CHECK_THROWS_AS(bbx::journal::event_from_json_line(line("1.5", "0", "0")), std::invalid_argument);
}
