// metric: expectations against recorded journals of statsd.datagram events, written by the
// statsd fake's own datagram_events().
#include <doctest/doctest.h>

#include "assert/metric_check.hpp"
#include "assert_test_support.hpp"
#include "fakes/metrics/journal_events.hpp"
#include "fakes/metrics/parse.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::MetricCheck;

namespace {

// Journals every sample of one datagram, as the statsd fake does (a graphite one's lines).
void send(journal::Journal& j, const std::string& datagram, bool graphite = false) {
  static std::uint64_t n = 0;
  std::vector<journal::Journal::Pending> events;
  fakes::datagram_events("metrics", {++n, "127.0.0.1:9"}, datagram,
                         graphite ? fakes::parse_graphite_line(datagram) : fakes::parse_statsd_datagram(datagram), events);
  j.append_batch(std::move(events));
}

model::ValueRange range(const char* text, double lo, double hi, bool lo_open = false, bool hi_open = false) {
  return {lo, hi, lo_open, hi_open, text};
}

model::MetricExpectation spec(const std::string& name) {
  model::MetricExpectation m;
  m.fake = "metrics";
  m.name = name;
  return m;
}

CheckResult run(const model::MetricExpectation& s, const journal::Journal& j) { return run_check<MetricCheck>(s, j); }

}  // namespace

TEST_CASE("counter sum scaled by rate, with tags") {
  auto j = temp_journal("metric-sum");
  send(*j, "app.requests:1|c|#route:/a,env:ci\napp.requests:1|c|@0.5|#route:/b\napp.latency:12|ms");
  auto s = spec("app.requests");
  s.type = "counter";
  s.aggregates = {{"sum", range(">= 3", 3, 1e308)}, {"samples", range("2", 2, 2)}};
  auto r = run(s, *j);
  CHECK(r.passed);
  CHECK(r.what == "metric at fake 'metrics': app.requests (counter)");
  CHECK(r.expected == "sum >= 3, samples 2");
  CHECK(r.actual == "sum 3, samples 2 over 2 samples");
  CHECK(r.evidence == std::vector<std::uint64_t>{1});  // one datagram carried both samples
  s.tags = {"route:/a"};
  r = run(s, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.what == "metric at fake 'metrics': app.requests (counter) #route:/a");
  CHECK(r.expected == "sum >= 3, samples 2");
  CHECK(r.actual == "sum 1, samples 1 over 1 sample");
}

TEST_CASE("timer percentiles, min, max and a failing range") {
  auto j = temp_journal("metric-timer");
  std::string d;
  for (int i = 1; i <= 100; ++i) d += "app.latency:" + std::to_string(i) + "|ms\n";
  send(*j, d);
  auto s = spec("app.latency");
  s.aggregates = {{"p50", range("50", 50, 50)}, {"max", range("<= 100", -1e308, 100)},
                  {"p99", range("< 50", -1e308, 50, false, true)}};
  auto r = run(s, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "p99 < 50");
  CHECK(r.actual == "p99 99 over 100 samples");
}

TEST_CASE("never sent, with client telemetry ignored") {
  auto j = temp_journal("metric-absent");
  send(*j, "datadog.dogstatsd.client.packets_sent:1|c\napp.started:1|c");
  auto s = spec("*");
  s.absent = true;
  s.ignore = {"datadog.dogstatsd.client.*", "app.started"};
  auto r = run(s, *j);
  CHECK(r.passed);
  CHECK(r.expected == "never sent");
  CHECK(r.actual == "0 samples");
  s.ignore = {"datadog.dogstatsd.client.*"};
  r = run(s, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "1 sample: app.started:1|c (seq 1)");
}

TEST_CASE("a metric never received names the closest series") {
  auto j = temp_journal("metric-closest");
  send(*j, "app.request:1|c\napp.request:1|c\nother.thing:5|g");
  auto r = run(spec("app.requests"), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "at least 1 sample");
  CHECK(r.actual == "0 samples; closest: app.request (counter) x2 (seq 1): name differs by 1 edit; other.thing (gauge) x1 (seq 1): "
                    "name differs by 11 edits");
}

TEST_CASE("gauges keep the last value and sets count distinct members") {
  auto j = temp_journal("metric-gauge");
  send(*j, "q.depth:5|g\nq.depth:+2|g\nusers:a|s\nusers:b|s\nusers:a|s");
  auto g = spec("q.depth");
  g.aggregates = {{"last", range("7", 7, 7)}};
  CHECK(run(g, *j).passed);
  auto set = spec("users");
  set.aggregates = {{"distinct", range("2", 2, 2)}};
  CHECK(run(set, *j).passed);
}

TEST_CASE("evidence cites the first kEvidenceKept datagrams; aggregates count them all") {
  auto j = temp_journal("metric-evidence-cap");
  for (std::size_t i = 0; i < kEvidenceKept + 50; ++i) send(*j, "app.requests:1|c");
  auto s = spec("app.requests");
  s.aggregates = {{"count", range("150", 150, 150)}};
  auto r = run(s, *j);
  CHECK(r.passed);
  CHECK(r.actual == "count 150 over 150 samples");
  REQUIRE(r.evidence.size() == kEvidenceKept);
  CHECK(r.evidence.back() == kEvidenceKept);
}

TEST_CASE("tags are matched as they read, 'k:v': a graphite tag name holding ':' included") {
  auto j = temp_journal("metric-colon-tag");
  send(*j, "db.q;r:ole=db 7 1700000000\ndb.q;r=ole:db 1 1700000000\ndb.q;dc=eu 100 1700000000\n", true);
  auto s = spec("db.q");
  s.aggregates = {{"samples", range("2", 2, 2)}};
  s.tags = {"r:ole:db"};  // either tag reads so: {r:ole, db} and {r, ole:db}
  auto r = run(s, *j);
  INFO(r.actual);
  CHECK(r.passed);
  s.tags = {"r:ole"};  // a name alone is not a name and a value
  r = run(s, *j);
  INFO(r.actual);
  CHECK_FALSE(r.passed);
  s.tags = {"dc:eu"};
  s.aggregates = {{"samples", range("1", 1, 1)}, {"last", range("100", 100, 100)}};
  r = run(s, *j);
  INFO(r.actual);
  CHECK(r.passed);
}
