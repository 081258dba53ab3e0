// The one-line text of journal events that every text view shares.
#include <doctest/doctest.h>

#include "journal/event_json.hpp"
#include "journal/event_types.hpp"
#include "report/event_text.hpp"

using namespace bbx;

namespace {

Event make(std::string type, EventSource source, nlohmann::json body, std::uint64_t seq = 48, std::int64_t t_ns = 1'234'000'000) {
  Event e;
  e.seq = seq;
  e.t_ns = t_ns;
  e.type = std::move(type);
  e.source = std::move(source);
  e.body = std::move(body);
  return e;
}

}  // namespace

TEST_CASE("every catalogued type has a summary of its own") {
  for (const auto& t : journal::ev::all) CHECK_MESSAGE(report::has_own_summary(std::string(t.name())), t.name());
}

TEST_CASE("an output line: time, seq, subject and stream, the line itself") {
  auto e = make("output.line", {"subject", "app", 7}, {{"stream", "stderr"}, {"line", "listening on 127.0.0.1:8080"}});
  CHECK(report::event_line(e) == "+1.234s  #48  [app:stderr]  listening on 127.0.0.1:8080");
  CHECK(report::event_line(e, {1'000'000'000, false, 0}) == "+0.234s  #48  [app:stderr]  listening on 127.0.0.1:8080");
}

TEST_CASE("exits, requests and failures read as sentences") {
  CHECK(report::event_summary(make("process.exit", {"subject", "shop", 42},
                                   {{"code", 70}, {"describe", "exited with code 70"}, {"main", true}})) ==
        "pid 42 exited with code 70");
  CHECK(report::event_summary(make("http.request", {"fake", "api", 0},
                                   {{"method", "GET"}, {"target", "/a?x=1"}, {"client", "127.0.0.1:5"}, {"route", 0},
                                    {"body_bytes", 0}})) == "GET /a?x=1 from 127.0.0.1:5 -> route 1 (0 body bytes)");
  CHECK(report::event_summary(make("http.request", {"fake", "api", 0},
                                   {{"method", "GET"}, {"target", "/a"}, {"client", "127.0.0.1:5"}, {"route", -1}, {"body_bytes", 3},
                                    {"from", {{"kind", "subject"}, {"name", "shop"}, {"pid", 42}}}})) ==
        "GET /a from shop (pid 42, 127.0.0.1:5) -> no route matched (3 body bytes)");
  CHECK(report::event_summary(make("assert.fail", {"assert", "x", 0},
                                   {{"what", "exit of subject 'a'"}, {"expected", "exited with code 0"}, {"actual", "killed by SIGKILL"}})) ==
        "FAILED: exit of subject 'a': expected exited with code 0, got killed by SIGKILL");
}

TEST_CASE("control characters are escaped, long text is cut, unknown types and odd bodies still print") {
  auto e = make("output.line", {"subject", "app", 7}, {{"stream", "stdout"}, {"line", "a\tb\x1b[31mred"}});
  CHECK(report::event_summary(e) == "a\\tb\\x1B[31mred");
  CHECK(report::event_summary(e, 4) == "a\\tb…");
  // Anywhere in a long line (the scan passes eight bytes at a time), and only control
  // characters: UTF-8 and the characters around 0x20 and 0x7f stay as they are.
  auto long_line = make("output.line", {"subject", "app", 7},
                        {{"stream", "stdout"}, {"line", "0123456789abcdef é ~ \x7f!\x1f 0123456789abcdef\r"}});
  CHECK(report::event_summary(long_line) == "0123456789abcdef é ~ \\x7F!\\x1F 0123456789abcdef\\r");
  CHECK(report::event_summary(make("future.type", {"runner", "x", 0}, {{"k", 1}})) == "future.type {\"k\":1}");
  CHECK(report::event_summary(make("http.response", {"fake", "api", 0}, {{"status", "odd"}})).find("answered") == 0);
}

TEST_CASE("source labels name the stream, the fake, the step") {
  CHECK(report::source_label(make("output.line", {"subject", "app", 1}, {{"stream", "stdout"}})) == "app:stdout");
  CHECK(report::source_label(make("process.exit", {"subject", "app", 1}, nlohmann::json::object())) == "app");
  CHECK(report::source_label(make("http.request", {"fake", "api", 0}, nlohmann::json::object())) == "fake:api");
  CHECK(report::source_label(make("mark", {"step", "mark x", 0}, nlohmann::json::object())) == "step:mark x");
  CHECK(report::source_label(make("assert.fail", {"assert", "w", 0}, nlohmann::json::object())) == "assert");
}

TEST_CASE("a fault's answer says what it really sent; a step begins with its number") {
  CHECK(report::event_summary(make("http.response", {"fake", "api", 0},
                                   {{"request_seq", 9}, {"status", 200}, {"body_bytes", 5}, {"latency_us", 80},
                                    {"fault", "close_mid_body"}, {"error", ""}, {"planned_status", 200},
                                    {"planned_body_bytes", 10}, {"sent_bytes", 83}})) ==
        "answered #9: fault close_mid_body: status 200 and 5 of 10 body bytes sent (planned 200) in 80us");
  CHECK(report::event_summary(make("http.response", {"fake", "api", 0},
                                   {{"request_seq", 9}, {"status", 0}, {"body_bytes", 0}, {"latency_us", 3}, {"fault", "reset"},
                                    {"error", ""}, {"planned_status", 503}, {"planned_body_bytes", 4}, {"sent_bytes", 0}})) ==
        "answered #9: fault reset: nothing sent (planned 503) in 3us");
  CHECK(report::event_summary(make("step.begin", {"step", "x", 0}, {{"index", 3}, {"where", "s.yaml:4:5"}})) ==
        "step 3 begins (s.yaml:4:5)");
}

TEST_CASE("an event read from its journal line prints as the parsed event does, for every type") {
  // A body with the fields of every summary, odd values (escapes, \u, nested objects, arrays).
  nlohmann::json rich = {{"line", "GET \"/x\"\ttab \x01 caf\u00e9"}, {"stream", "stderr"}, {"path", "/var/log/a.log"},
                         {"method", "POST"}, {"target", "/a?b=1"}, {"client", "127.0.0.1:5"}, {"route", 2},
                         {"body_bytes", 12}, {"from", {{"kind", "subject"}, {"name", "shop"}, {"pid", 42}}},
                         {"argv", {"bin", "--x", 3}}, {"expected", {{"status", 200}}}, {"actual", {1, 2}},
                         {"what", "exit of 'a'"}, {"status", 503}, {"latency_us", 1500}, {"request_seq", 9},
                         {"fault", "reset"}, {"sent_bytes", 0}, {"planned_status", 200}, {"ok", true}, {"main", false},
                         {"code", 3}, {"signal", "SIGKILL"}, {"rss_bytes", 3 << 20}, {"cpu_ms", 5}, {"index", 2},
                         {"waited_ns", 2'500'000}, {"held", true}, {"verdict", "failed"}, {"message", "m"},
                         {"headers", {{"Host", "x"}, {"Accept", "*/*"}}}, {"f", 1.25}, {"n", nullptr}};
  std::vector<EventSource> sources = {{"subject", "app", 7}, {"fake", "api", 0}, {"step", "http GET /x", 0},
                                      {"assert", "a", 0}, {"scenario", "s", 0}, {"runner", "sampler", 0}};
  std::vector<std::string> types;
  for (const auto& t : journal::ev::all) types.emplace_back(t.name());
  types.push_back("future.type");
  for (const auto& type : types)
    for (const auto& source : sources)
      for (const auto& body : {rich, nlohmann::json::object()}) {
        auto e = make(type, source, body);
        e.wall = "2026-12-06T05:56:41.322241Z";
        auto text = journal::event_to_json_line(e);
        text.pop_back();  // the newline
        auto ref = journal::event_ref_of_line(text);
        REQUIRE(ref);
        INFO(text);
        for (bool color : {false, true})
          CHECK(report::event_line(*ref, {1'000'000, color, 0}) == report::event_line(e, {1'000'000, color, 0}));
        CHECK(report::event_summary(*ref, 10) == report::event_summary(e, 10));
      }
}

TEST_CASE("a statsd payload of many lines reads as its first line and how much more") {
  auto one = make("statsd.datagram", {"fake", "m", 0}, {{"raw", "app.requests:1|c\n"}, {"n", 1}});
  CHECK(report::event_summary(one) == "app.requests:1|c");
  std::string big;
  for (int i = 0; i < 3000; ++i) big += "app.requests:1|c\n";
  auto many = make("statsd.datagram", {"fake", "m", 0}, {{"raw", big}, {"n", 2}});
  CHECK(report::event_summary(many) == "app.requests:1|c (+2999 lines, 51000 bytes)");
  auto two = make("statsd.datagram", {"fake", "m", 0}, {{"raw", "a:1|c\n\nb:2|g"}, {"n", 3}});
  CHECK(report::event_summary(two) == "a:1|c (+1 line, 12 bytes)");
}
