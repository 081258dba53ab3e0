// Two journals of one scenario compared in three layers (compare/diff.hpp), written by hand
// so each case shows one difference: what is normalised away, and what is reported where.
#include <doctest/doctest.h>

#include <optional>

#include "compare/diff.hpp"
#include "compare_test_support.hpp"

using namespace bbx::compare;
using bbx::testing::JournalWriter;
using nlohmann::json;

namespace {

// A small run: a subject on an allocated port that logs, a fake that gets requests, a step.
struct Run {
  int pid = 5;
  int port = 41000;
  int fake_port = 42000;
  std::string run_id = "20261206-010101-001";
  std::vector<std::string> lines = {"fixture starting pid=PID", "listening on 127.0.0.1:PORT"};
  std::vector<std::string> paths = {"/a", "/b"};
  std::string verdict = "passed";
  std::int64_t ready_ns = 5'000'000;
  std::vector<std::string> readiness;  // "listen", "log": the conditions met, in order
  std::vector<std::pair<double, double>> graphite;  // samples of gauge "jobs" a fake 'carbon' got: value, timestamp
  json compare;  // scenario.begin's compare rules, when any
  std::optional<double> cpu_pressure;  // scenario.end's, when the run journaled one
};

void write(JournalWriter& j, const Run& r) {
  json begin = {{"sandbox", "/runs/" + r.run_id + "/s/sandbox"}, {"hostname", "host-a"}};
  if (!r.compare.is_null()) begin["compare"] = r.compare;
  j.begin("s", begin);
  j.add("scenario", "s", 0, "port.allocate", {{"name", "app"}, {"port", r.port}});
  j.add("fake", "up", 0, "fake.listen", {{"port", r.fake_port}, {"url", "http://127.0.0.1:" + std::to_string(r.fake_port)}});
  j.add("subject", "app", r.pid, "process.spawn",
        {{"argv", {"app", "--listen", std::to_string(r.port)}}, {"cwd", "/runs/" + r.run_id + "/s/sandbox"},
         {"executable", "/x/app"}, {"supervisor_pid", r.pid - 1}});
  for (auto line : r.lines) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"PID", std::to_string(r.pid)}, {"PORT", std::to_string(r.port)}})
      if (auto p = line.find(from); p != std::string::npos) line.replace(p, from.size(), to);
    j.line("app", line, r.pid);
  }
  for (const auto& c : r.readiness) {
    if (c == "listen")
      j.add("subject", "app", r.pid, "socket.listen", {{"address", "127.0.0.1"}, {"port", r.port}, {"proto", "tcp"}});
    else
      j.add("subject", "app", r.pid, "subject.ready_check", {{"kind", "log"}, {"line", "started"}, {"regex", "started"}});
  }
  j.add("subject", "app", r.pid, "subject.ready", {{"waited_ns", r.ready_ns}, {"cpu_ns", 1}, {"realtime_ns", 1}});
  std::uint64_t seq = 8 + r.lines.size() + r.readiness.size();
  int conn = 0;
  for (const auto& p : r.paths) {
    j.add("fake", "up", 0, "http.request",
          {{"conn", ++conn}, {"client", "127.0.0.1:" + std::to_string(50000 + r.pid + conn)}, {"method", "GET"}, {"target", p},
           {"path", p}, {"query", ""}, {"version", "HTTP/1.1"},
           {"headers", {{"Host", "127.0.0.1:" + std::to_string(r.fake_port)}}}, {"route", 0}, {"matched", true},
           {"sequence", 0}, {"body_bytes", 0}, {"body", ""}});
    j.add("fake", "up", 0, "http.response",
          {{"conn", conn}, {"request_seq", seq}, {"status", 200}, {"route", 0}, {"body_bytes", 3}, {"latency_us", 40 + r.pid},
           {"fault", ""}, {"chunks", 0}, {"error", ""}});
    seq += 2;
  }
  for (auto [value, timestamp] : r.graphite)
    j.add("fake", "carbon", 0, "statsd.datagram",
          {{"from", "127.0.0.1:" + std::to_string(50000 + r.pid)}, {"n", 1},
           {"samples", {{{"name", "jobs"}, {"rate", 1.0}, {"tags", json::array()}, {"timestamp", timestamp}, {"type", "g"}, {"value", value}}}}});
  j.add("assert", "request at fake 'up'", 0, r.verdict == "passed" ? "assert.pass" : "assert.fail",
        {{"what", "request at fake 'up'"}, {"expected", "1"}, {"actual", "seq " + std::to_string(seq)}, {"where", "s:1:1"},
         {"evidence", {seq}}});
  json end = {{"verdict", r.verdict}, {"message", ""}};
  if (r.cpu_pressure) end["cpu_pressure"] = *r.cpu_pressure;
  j.add("scenario", "s", 0, "scenario.end", end);
}

ScenarioDiff compare(const Run& a, const Run& b, const Thresholds& t = {}) {
  JournalWriter ja("diff_a"), jb("diff_b");
  write(ja, a);
  write(jb, b);
  return diff_journals(ja.path(), jb.path(), t);
}

const Difference* find(const ScenarioDiff& d, Layer layer, const std::string& where) {
  for (const auto& x : d.differences)
    if (x.layer == layer && x.where == where) return &x;
  return nullptr;
}

std::string all(const ScenarioDiff& d) {
  std::string out;
  for (const auto& x : d.differences) out += std::string(layer_name(x.layer)) + " | " + x.where + " | " + x.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("runs that differ only in pids, ports, paths, client ports and latencies are the same") {
  Run a, b;
  b.pid = 17342;
  b.port = 45213;
  b.fake_port = 38111;
  b.run_id = "20261207-121212-999";
  auto d = compare(a, b);
  INFO(all(d));
  CHECK(d.same());
}

TEST_CASE("a new line is a behaviour difference of its lane, a new template and a level count") {
  Run a, b;
  b.lines.push_back("error: disk almost full");
  auto d = compare(a, b);
  INFO(all(d));
  auto* line = find(d, Layer::behaviour, "subject 'app' stderr");
  REQUIRE(line);
  CHECK(line->message == "new line \"error: disk almost full\" after \"listening on 127.0.0.1:[PORT:app]\"");
  CHECK(line->seq_b == 7);
  auto* tmpl = find(d, Layer::counts, "subject 'app' stderr");
  REQUIRE(tmpl);
  CHECK(tmpl->message == "new kind of line 'error: disk almost full' (1 line)");
  CHECK(find(d, Layer::counts, "subject 'app' stderr lines at level error"));
  CHECK(d.differences.front().layer == Layer::behaviour);  // most significant first
}

TEST_CASE("a changed line pairs the removed and the added line") {
  Run a, b;
  b.lines[1] = "listening on 0.0.0.0:PORT";
  auto d = compare(a, b);
  auto* line = find(d, Layer::behaviour, "subject 'app' stderr");
  REQUIRE(line);
  CHECK(line->message == "line changed: \"listening on 127.0.0.1:[PORT:app]\" -> \"listening on 0.0.0.0:[PORT:app]\"");
}

TEST_CASE("requests compare as multisets, then in order") {
  Run a, b;
  b.paths = {"/a", "/b", "/c"};
  auto d = compare(a, b);
  auto* extra = find(d, Layer::behaviour, "fake 'up' requests");
  REQUIRE(extra);
  CHECK(extra->message == "+1 request \"GET /c\" (0 in A, 1 in B)");
  auto* count = find(d, Layer::counts, "fake 'up' responses route 0 -> 200");
  REQUIRE(count);
  CHECK(count->message == "2 -> 3 (+1)");

  Run swapped;
  swapped.paths = {"/b", "/a"};
  d = compare(a, swapped);
  INFO(all(d));
  auto* order = find(d, Layer::behaviour, "fake 'up' requests");
  REQUIRE(order);
  CHECK(order->message == "2 requests in another order from #1: \"GET /b\" now comes before \"GET /a\"");
  CHECK(d.differences.size() == 1);
}

TEST_CASE("outcomes lead: a verdict and a check that changed") {
  Run a, b;
  b.verdict = "failed";
  auto d = compare(a, b);
  REQUIRE(d.differences.size() >= 2);
  CHECK(d.differences[0].where == "verdict");
  CHECK(d.differences[0].message == "passed -> failed");
  CHECK(d.differences[1].where == "check 'request at fake 'up''");
}

TEST_CASE("numbers differ only beyond both thresholds") {
  Run a, b;
  b.ready_ns = 305'000'000;
  auto d = compare(a, b);
  auto* ready = find(d, Layer::numbers, "subject 'app' ready after");
  REQUIRE(ready);
  CHECK(ready->message == "5ms -> 305ms (+300ms, +6000%)");
  CHECK(*ready->a == 5e6);
  CHECK(ready->unit == "ns");
  Thresholds loose;
  loose.time_ns = 500e6;
  CHECK(compare(a, b, loose).same());
  b.ready_ns = 6'000'000;  // +1ms: under 250ms
  CHECK(compare(a, b).same());
}

TEST_CASE("the scenario's own rules: an ignored line and a redacted value are not differences") {
  Run a, b;
  a.lines.push_back("debug cache 17 warm");
  b.lines.push_back("debug cache 99 warm");
  a.lines.push_back("session tok-1234 opened");
  b.lines.push_back("session tok-9876 opened");
  CHECK_FALSE(compare(a, b).same());
  json rules = json::parse(R"({"ignore": [{"type": "output.line", "matches": "^debug "}],
                              "redact": [{"pattern": "tok-[0-9]+", "replace": "tok-N"}]})");
  a.compare = b.compare = rules;
  auto d = compare(a, b);
  INFO(all(d));
  CHECK(d.same());
}

TEST_CASE("a readiness's conditions met in either order are the same; one not met is a difference") {
  Run a, b, c;
  a.readiness = {"log", "listen"};
  b.readiness = {"listen", "log"};
  c.readiness = {"listen"};
  auto same = compare(a, b);
  INFO(all(same));
  CHECK(same.same());
  auto d = compare(a, c);
  INFO(all(d));
  const Difference* x = find(d, Layer::behaviour, "subject 'app' readiness");
  REQUIRE(x);
  CHECK(x->message.find("-1 event \"readiness check met\"") == 0);
}

TEST_CASE("a metric sample's timestamp that reads as the clock is volatile; its value and an odd timestamp are not") {
  Run a, b, odd, changed;
  a.graphite = {{3, 1796569135}, {4, 1796569145}};
  b.graphite = {{3, 1796655599}, {4, 1796655609}};  // a day later
  odd.graphite = {{3, 0}, {4, 1796569145}};         // a daemon that sends 0
  changed.graphite = {{3, 1796569135}, {5, 1796569145}};
  auto same = compare(a, b);
  INFO(all(same));
  CHECK(same.same());
  auto d = compare(a, odd);
  INFO(all(d));
  REQUIRE(find(d, Layer::behaviour, "fake 'carbon' metrics"));
  CHECK(all(d).find("sample \"jobs|g\" changed: timestamp: [TIMESTAMP] -> 0.0") != std::string::npos);
  auto v = compare(a, changed);
  INFO(all(v));
  REQUIRE(find(v, Layer::behaviour, "fake 'carbon' metrics"));
  CHECK(all(v).find("sample \"jobs|g\" changed: \"jobs:4|g\" -> \"jobs:5|g\"") != std::string::npos);
}

TEST_CASE("a side run on a busier machine may take longer by the ratio of the expected slowdowns; the report says so") {
  Run a, b;
  a.ready_ns = 200'000'000;  // a slow starter
  a.cpu_pressure = 0.0;
  b.cpu_pressure = 0.8;  // x5: up to 1 s
  b.ready_ns = 900'000'000;
  auto d = compare(a, b);
  INFO(all(d));
  CHECK(d.same());
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0] == "B's durations may be x5.0 for its CPU pressure 80% (A's 0%): 1 duration within the thresholds only so: "
                      "subject 'app' ready after");
  // Either way round: A the busier one, B faster.
  std::swap(a, b);
  d = compare(a, b);
  CHECK(d.same());
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].starts_with("A's durations may be x5.0 for its CPU pressure 80% (B's 0%)"));
  // Beyond what the busier machine explains it is a difference, saying how far durations
  // were allowed to stretch; a small time is held to the absolute threshold however busy.
  a.ready_ns = 5'000'000;
  a.cpu_pressure = 0.0;
  b.ready_ns = 305'000'000;
  b.cpu_pressure = 0.8;
  d = compare(a, b);
  auto* ready = find(d, Layer::numbers, "subject 'app' ready after");
  REQUIRE(ready);
  CHECK(ready->message == "5ms -> 305ms (+300ms, +6000%); B's durations may be x5.0 for its CPU pressure 80% (A's 0%)");
  // Without the figure on both sides, or judged as measured, durations are taken as they are.
  a.ready_ns = 200'000'000;
  b.ready_ns = 900'000'000;
  Thresholds measured;
  measured.use_cpu_pressure = false;
  CHECK_FALSE(compare(a, b, measured).same());
  a.cpu_pressure.reset();
  CHECK_FALSE(compare(a, b).same());
}
