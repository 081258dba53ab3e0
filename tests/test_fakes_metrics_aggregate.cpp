#include "fakes/metrics/aggregate.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

using namespace bbx::fakes;

namespace {

// Feeds a statsd payload that must parse cleanly.
void feed(MetricAggregates& agg, std::string_view payload) {
  ParsedDatagram d = parse_statsd_datagram(payload);
  REQUIRE(d.errors.empty());
  agg.add(d);
}

AggregateView view(const MetricAggregates& agg, std::string_view name, MetricType type) {
  auto v = agg.find(name, type);
  REQUIRE(v.has_value());
  return *v;
}

AggregateView view(const MetricAggregates& agg, std::string_view name, MetricType type, const Tags& tags) {
  auto v = agg.find(name, type, tags);
  REQUIRE(v.has_value());
  return *v;
}

double gauge(const MetricAggregates& agg, std::string_view name) {
  return view(agg, name, MetricType::gauge).value;
}

// Timer "t" fed the values 1..n in a shuffled but fixed order.
MetricAggregates timer_1_to(int n, std::size_t cap = MetricAggregates::kDefaultMaxKept) {
  MetricAggregates agg(cap);
  for (int i = 0; i < n; ++i) feed(agg, "t:" + std::to_string((i * 7919) % n + 1) + "|ms");
  return agg;
}

}  // namespace

TEST_CASE("nothing sent: every query is nullopt") {
  MetricAggregates agg;
  CHECK_FALSE(agg.find("x", MetricType::counter).has_value());
  CHECK_FALSE(agg.find("x", MetricType::counter, {}).has_value());
  CHECK_FALSE(agg.percentile("x", MetricType::timer, 50).has_value());
  CHECK(agg.series().empty());
  CHECK(agg.bad_lines() == 0);
}

TEST_CASE("counter: sum scaled by 1/rate, samples unscaled, missing value is 1") {
  MetricAggregates agg;
  feed(agg, "req:1|c|@0.1\nreq:1|c|@0.1\nreq:5|c\nreq:|c");
  AggregateView v = view(agg, "req", MetricType::counter);
  CHECK(v.samples == 4);
  CHECK(v.sum == doctest::Approx(26));
  CHECK(v.count == doctest::Approx(22));
  CHECK(v.min == 1);
  CHECK(v.max == 5);
  CHECK(v.value == 1);
  CHECK(v.exact);
}

TEST_CASE("gauge: assignments and deltas, per etsy") {
  MetricAggregates agg;
  feed(agg, "g:10|g");
  CHECK(gauge(agg, "g") == 10);
  feed(agg, "g:+3|g");
  CHECK(gauge(agg, "g") == 13);
  feed(agg, "g:-20|g");
  CHECK(gauge(agg, "g") == -7);
  feed(agg, "g:4|g");
  CHECK(gauge(agg, "g") == 4);
  AggregateView v = view(agg, "g", MetricType::gauge);
  CHECK(v.samples == 4);
  CHECK(v.count == 4);
  CHECK(v.min == -7);  // over successive values after deltas
  CHECK(v.max == 13);
  CHECK(v.sum == 0);
}

TEST_CASE("gauge: a delta on a gauge that does not exist yet is an assignment") {
  MetricAggregates agg;
  feed(agg, "neg:-5|g");
  CHECK(gauge(agg, "neg") == -5);
  feed(agg, "pos:+5|g\npos:+5|g");
  CHECK(gauge(agg, "pos") == 10);
  feed(agg, "zero:0|g\nzero:-5|g");  // setting a negative gauge: 0 first, then the delta
  CHECK(gauge(agg, "zero") == -5);
}

TEST_CASE("gauge: deltas apply per tag set; the per-name value follows the last update") {
  MetricAggregates agg;
  feed(agg, "g:100|g|#host:a");
  feed(agg, "g:+1|g|#host:b");  // host:b does not exist yet: assignment
  CHECK(view(agg, "g", MetricType::gauge, {{"host", "b"}}).value == 1);
  CHECK(gauge(agg, "g") == 1);
  feed(agg, "g:+1|g|#host:a");
  CHECK(view(agg, "g", MetricType::gauge, {{"host", "a"}}).value == 101);
  CHECK(gauge(agg, "g") == 101);
}

TEST_CASE("gauge: packed deltas apply in order") {
  MetricAggregates agg;
  feed(agg, "g:5:+1:+1:-10|g");
  CHECK(gauge(agg, "g") == -3);
}

TEST_CASE("timer: count scaled by rate; min, max and sum over the values") {
  MetricAggregates agg;
  feed(agg, "lat:10|ms|@0.5\nlat:30:20|ms|@0.25\nlat:5|ms");
  AggregateView v = view(agg, "lat", MetricType::timer);
  CHECK(v.samples == 4);
  CHECK(v.count == doctest::Approx(2 + 4 + 4 + 1));
  CHECK(v.sum == 65);
  CHECK(v.min == 5);
  CHECK(v.max == 30);
  CHECK(v.value == 5);
  CHECK(v.kept == 4);
  CHECK(v.exact);
}

TEST_CASE("percentiles are nearest-rank over the values sent") {
  MetricAggregates agg = timer_1_to(100);
  auto p = [&](double q) { return agg.percentile("t", MetricType::timer, q).value(); };
  CHECK(p(0) == 1);
  CHECK(p(1) == 1);
  CHECK(p(50) == 50);
  CHECK(p(50.5) == 51);
  CHECK(p(90) == 90);
  CHECK(p(95) == 95);
  CHECK(p(99) == 99);
  CHECK(p(99.9) == 100);
  CHECK(p(100) == 100);

  MetricAggregates ten = timer_1_to(10);
  CHECK(ten.percentile("t", MetricType::timer, 70) == 7);  // no rounding drift at exact ranks
  CHECK(ten.percentile("t", MetricType::timer, 95) == 10);
  CHECK(ten.percentile("t", MetricType::timer, 10) == 1);
  CHECK(ten.percentile("t", MetricType::timer, 11) == 2);

  MetricAggregates thousand = timer_1_to(1000);
  CHECK(thousand.percentile("t", MetricType::timer, 16.1) == 161);  // 16.1 * 1000 / 100 > 161 in doubles
  CHECK(thousand.percentile("t", MetricType::timer, 64.4) == 644);

  MetricAggregates one = timer_1_to(1);
  CHECK(one.percentile("t", MetricType::timer, 50) == 1);
}

TEST_CASE("percentile: invalid p, wrong type or unknown series give nullopt") {
  MetricAggregates agg = timer_1_to(10);
  feed(agg, "c:1|c\ng:1|g\ns:a|s");
  CHECK_FALSE(agg.percentile("t", MetricType::timer, -1).has_value());
  CHECK_FALSE(agg.percentile("t", MetricType::timer, 100.5).has_value());
  CHECK_FALSE(agg.percentile("t", MetricType::timer, std::nan("")).has_value());
  CHECK_FALSE(agg.percentile("c", MetricType::counter, 50).has_value());
  CHECK_FALSE(agg.percentile("g", MetricType::gauge, 50).has_value());
  CHECK_FALSE(agg.percentile("s", MetricType::set, 50).has_value());
  CHECK_FALSE(agg.percentile("t", MetricType::histogram, 50).has_value());
  CHECK_FALSE(agg.percentile("t", MetricType::timer, {{"x", ""}}, 50).has_value());
}

TEST_CASE("histograms and distributions aggregate like timers, negatives allowed") {
  MetricAggregates agg;
  feed(agg, "h:3:1:2|h\nd:-1:4|d|@0.5");
  AggregateView h = view(agg, "h", MetricType::histogram);
  CHECK(h.samples == 3);
  CHECK(h.sum == 6);
  CHECK(agg.percentile("h", MetricType::histogram, 50) == 2);
  AggregateView d = view(agg, "d", MetricType::distribution);
  CHECK(d.count == 4);
  CHECK(d.min == -1);
  CHECK(agg.percentile("d", MetricType::distribution, 50) == -1);
}

TEST_CASE("percentiles stay queryable while values keep arriving") {
  MetricAggregates agg;
  feed(agg, "t:5|ms\nt:1|ms");
  CHECK(agg.percentile("t", MetricType::timer, 50) == 1);
  feed(agg, "t:0|ms\nt:3|ms");  // added after a lazy sort
  CHECK(agg.percentile("t", MetricType::timer, 50) == 1);
  CHECK(agg.percentile("t", MetricType::timer, 25) == 0);
  CHECK(agg.percentile("t", MetricType::timer, 75) == 3);
}

TEST_CASE("past the cap: exact count/min/max, reservoir percentiles, deterministic") {
  MetricAggregates agg = timer_1_to(20000, 1000);
  AggregateView v = view(agg, "t", MetricType::timer);
  CHECK(v.samples == 20000);
  CHECK(v.kept == 1000);
  CHECK_FALSE(v.exact);
  CHECK(v.min == 1);
  CHECK(v.max == 20000);
  CHECK(v.sum == doctest::Approx(20000.0 * 20001 / 2));
  CHECK(agg.percentile("t", MetricType::timer, 0) == 1);
  CHECK(agg.percentile("t", MetricType::timer, 100) == 20000);
  const double median = agg.percentile("t", MetricType::timer, 50).value();
  CHECK(median == doctest::Approx(10000).epsilon(0.1));
  MetricAggregates again = timer_1_to(20000, 1000);
  CHECK(again.percentile("t", MetricType::timer, 50) == median);
}

TEST_CASE("set: distinct members, per tag set and merged per name") {
  MetricAggregates agg;
  feed(agg, "u:alice|s|#r:eu\nu:bob|s|#r:eu\nu:alice|s|#r:eu\nu:alice|s|#r:us\nu:carol|s|#r:us");
  CHECK(view(agg, "u", MetricType::set, {{"r", "eu"}}).distinct == 2);
  CHECK(view(agg, "u", MetricType::set, {{"r", "us"}}).distinct == 2);
  AggregateView all = view(agg, "u", MetricType::set);
  CHECK(all.distinct == 3);
  CHECK(all.samples == 5);
  CHECK(all.count == 5);
  CHECK(all.exact);
}

TEST_CASE("set: past the cap, distinct stops at the cap and is marked inexact") {
  MetricAggregates agg(3);
  feed(agg, "u:a|s\nu:b|s\nu:c|s\nu:d|s\nu:a|s");
  AggregateView v = view(agg, "u", MetricType::set);
  CHECK(v.distinct == 3);
  CHECK(v.samples == 5);
  CHECK_FALSE(v.exact);
}

TEST_CASE("tag sets: order and duplicates do not matter; the per-name series merges them") {
  MetricAggregates agg;
  feed(agg, "c:1|c|#b:2,a:1\nc:2|c|#a:1,b:2,a:1\nc:4|c|#a:1\nc:8|c\nc:16|c|#flag\nc:32|c|#flag:");
  CHECK(view(agg, "c", MetricType::counter, {{"a", "1"}, {"b", "2"}}).sum == 3);
  CHECK(view(agg, "c", MetricType::counter, {{"b", "2"}, {"a", "1"}, {"b", "2"}}).sum == 3);
  CHECK(view(agg, "c", MetricType::counter, {{"a", "1"}}).sum == 4);
  CHECK(view(agg, "c", MetricType::counter, Tags{}).sum == 8);
  CHECK(view(agg, "c", MetricType::counter, {{"flag", ""}}).sum == 48);  // `k` == `k:`
  CHECK_FALSE(agg.find("c", MetricType::counter, {{"a", "2"}}).has_value());
  CHECK(view(agg, "c", MetricType::counter).sum == 63);
}

TEST_CASE("the same name with different types gives independent series") {
  MetricAggregates agg;
  feed(agg, "x:5|c\nx:7|g\nx:9|ms");
  CHECK(view(agg, "x", MetricType::counter).sum == 5);
  CHECK(view(agg, "x", MetricType::gauge).value == 7);
  CHECK(view(agg, "x", MetricType::timer).max == 9);
  CHECK_FALSE(agg.find("x", MetricType::set).has_value());
}

TEST_CASE("names are compared exactly") {
  MetricAggregates agg;
  feed(agg, "app.req:1|c");
  CHECK_FALSE(agg.find("app.re", MetricType::counter).has_value());
  CHECK_FALSE(agg.find("app.req ", MetricType::counter).has_value());
  CHECK_FALSE(agg.find("App.req", MetricType::counter).has_value());
}

TEST_CASE("views are snapshots") {
  MetricAggregates agg;
  feed(agg, "c:1|c");
  AggregateView before = view(agg, "c", MetricType::counter);
  feed(agg, "c:1|c");
  CHECK(before.sum == 1);
  CHECK(view(agg, "c", MetricType::counter).sum == 2);
}

TEST_CASE("bad lines are counted from parsed datagrams") {
  MetricAggregates agg;
  agg.add(parse_statsd_datagram("a:1|c\nbroken\nb:x|g\nc:1|c:2"));
  CHECK(agg.bad_lines() == 3);
  CHECK(view(agg, "a", MetricType::counter).sum == 1);
  CHECK(view(agg, "c", MetricType::counter).sum == 1);
}

TEST_CASE("series lists every (name, type, tag set) in first-seen order with sorted tags") {
  MetricAggregates agg;
  feed(agg, "b:1|c|#z,y:1\na:1|g\nb:1|c|#y:1,z\nb:1|ms");
  auto keys = agg.series();
  REQUIRE(keys.size() == 3);
  CHECK(keys[0].name == "b");
  CHECK(keys[0].type == MetricType::counter);
  CHECK(keys[0].tags == Tags{{"y", "1"}, {"z", ""}});
  CHECK(keys[1].name == "a");
  CHECK(keys[1].tags.empty());
  CHECK(keys[2].type == MetricType::timer);
}

TEST_CASE("clear forgets everything") {
  MetricAggregates agg;
  agg.add(parse_statsd_datagram("a:1|c\nbad"));
  agg.clear();
  CHECK_FALSE(agg.find("a", MetricType::counter).has_value());
  CHECK(agg.series().empty());
  CHECK(agg.bad_lines() == 0);
  feed(agg, "a:2|c");
  CHECK(view(agg, "a", MetricType::counter).sum == 2);
}
