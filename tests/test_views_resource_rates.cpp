// views/resource_rates.hpp over hand-written resource.sample events: CPU percent, I/O and
// context-switch rates from the deltas between a subject's samples; unknown (not 0) for what
// a sample lacks, a subject's first sample, a counter that went down and a too short
// interval; per-process CPU percent from `procs`.
#include <doctest/doctest.h>

#include "journal/event_ref.hpp"
#include "views/resource_rates.hpp"

using namespace bbx;
using nlohmann::json;

namespace {

// A resource.sample of subject `name` at t_ms.
struct Sample {
  Event event;
  Sample(const std::string& name, double t_ms, json body) {
    event.seq = 1;
    event.t_ns = static_cast<std::int64_t>(t_ms * 1e6);
    event.source = {"subject", name, 7};
    event.type = "resource.sample";
    event.body = std::move(body);
  }
};

views::ResourcePoint add(views::ResourceRates& rates, const std::string& name, double t_ms, json body,
                         bool procs = false) {
  Sample s(name, t_ms, std::move(body));
  return rates.add(journal::EventRef(s.event), procs);
}

}  // namespace

TEST_CASE("an old journal's samples give CPU percent and levels, and nothing for the fields it lacks") {
  views::ResourceRates rates;
  auto first = add(rates, "app", 100, {{"rss_bytes", 1 << 20}, {"cpu_ms", 40}, {"fds", 5}, {"threads", 2}, {"processes", 1}});
  CHECK(!first.cpu_pct);  // no interval yet
  CHECK(first.rss_bytes == doctest::Approx(1 << 20));
  CHECK(first.fds == doctest::Approx(5));
  CHECK(!first.rss_peak_bytes);
  CHECK(!first.pss_bytes);
  CHECK(!first.read_bps);
  CHECK(!first.ctx_voluntary_ps);
  auto second = add(rates, "app", 300, {{"rss_bytes", 1 << 20}, {"cpu_ms", 240}, {"fds", 5}, {"threads", 2}, {"processes", 1}});
  REQUIRE(second.cpu_pct);
  CHECK(*second.cpu_pct == doctest::Approx(100.0));  // 200 ms of CPU in 200 ms: one core
  CHECK(!second.cpu_user_pct);
  CHECK(!second.read_bps);
  // Another subject has rates of its own.
  CHECK(!add(rates, "db", 300, {{"cpu_ms", 1000}}).cpu_pct);
}

TEST_CASE("the new fields give user/system percent, I/O bytes per second and context switches per second") {
  views::ResourceRates rates;
  json a = {{"cpu_ms", 100}, {"cpu_user_ms", 80}, {"cpu_system_ms", 20}, {"read_bytes", 1000}, {"write_bytes", 0},
            {"ctx_voluntary", 10}, {"ctx_involuntary", 1}, {"rss_bytes", 100}, {"rss_peak_bytes", 300}, {"pss_bytes", 90}};
  json b = {{"cpu_ms", 150}, {"cpu_user_ms", 110}, {"cpu_system_ms", 40}, {"read_bytes", 51000}, {"write_bytes", 2048},
            {"ctx_voluntary", 60}, {"ctx_involuntary", 6}, {"rss_bytes", 100}, {"rss_peak_bytes", 300}};
  add(rates, "app", 0, a);
  auto p = add(rates, "app", 100, b);
  CHECK(*p.cpu_pct == doctest::Approx(50.0));
  CHECK(*p.cpu_user_pct == doctest::Approx(30.0));
  CHECK(*p.cpu_system_pct == doctest::Approx(20.0));
  CHECK(*p.read_bps == doctest::Approx(500000.0));
  CHECK(*p.write_bps == doctest::Approx(20480.0));
  CHECK(*p.ctx_voluntary_ps == doctest::Approx(500.0));
  CHECK(*p.ctx_involuntary_ps == doctest::Approx(50.0));
  CHECK(*p.rss_peak_bytes == doctest::Approx(300.0));
  CHECK(!p.pss_bytes);  // read on some ticks only
}

TEST_CASE("a counter that went down, or an interval too short to measure, gives no rate") {
  views::ResourceRates rates;
  add(rates, "app", 0, {{"cpu_ms", 500}});
  CHECK(!add(rates, "app", 100, {{"cpu_ms", 10}}).cpu_pct);  // started again: its tree is new
  CHECK(*add(rates, "app", 200, {{"cpu_ms", 60}}).cpu_pct == doctest::Approx(50.0));
  // The final sample 1 ms after a tick: no rate; the next is measured from the older sample.
  CHECK(!add(rates, "app", 201, {{"cpu_ms", 70}}).cpu_pct);
  CHECK(*add(rates, "app", 300, {{"cpu_ms", 110}}).cpu_pct == doctest::Approx(50.0));
}

TEST_CASE("procs give each process's CPU percent since its previous sample") {
  views::ResourceRates rates;
  auto procs = [](int cpu_main, int cpu_child, bool child) {
    json list = json::array({{{"pid", 7}, {"ppid", 1}, {"comm", "app"}, {"cpu_ms", cpu_main}, {"rss_bytes", 4096}, {"threads", 2}}});
    if (child) list.push_back({{"pid", 9}, {"ppid", 7}, {"comm", "worker"}, {"cpu_ms", cpu_child}, {"rss_bytes", 8192}, {"threads", 1}});
    return json{{"cpu_ms", cpu_main + cpu_child}, {"procs", list}};
  };
  auto first = add(rates, "app", 0, procs(0, 0, true), true);
  CHECK(first.has_procs);
  REQUIRE(first.procs.size() == 2);
  CHECK(!first.procs[1].cpu_pct);
  CHECK(first.procs[1].comm == "worker");
  auto second = add(rates, "app", 100, procs(10, 100, true), true);
  REQUIRE(second.procs.size() == 2);
  CHECK(*second.procs[0].cpu_pct == doctest::Approx(10.0));
  CHECK(*second.procs[1].cpu_pct == doctest::Approx(100.0));
  CHECK(*second.procs[1].rss_bytes == doctest::Approx(8192.0));
  CHECK(second.procs[1].ppid == 7);
  // Without with_processes, procs are not read.
  auto unread = add(rates, "app", 200, procs(20, 200, true));
  CHECK(!unread.has_procs);
  CHECK(unread.procs.empty());
  CHECK(!add(rates, "app", 300, {{"cpu_ms", 300}}, true).has_procs);
}

TEST_CASE("CounterRate: none on the first value; a reference given up front counts from there") {
  bbx::views::CounterRate r;
  CHECK_FALSE(r.next(0, 10.0, 1));
  CHECK(*r.next(1'000'000'000, 30.0, 1) == doctest::Approx(20));
  CHECK_FALSE(r.next(2'000'000'000, std::nullopt, 1));  // unknown now
  CHECK_FALSE(r.next(3'000'000'000, 50.0, 1));          // unknown at the reference
  CHECK(*r.next(4'000'000'000, 60.0, 0.1) == doctest::Approx(1));
  bbx::views::CounterRate seeded(0, 0);
  CHECK(*seeded.next(500'000'000, 250.0, 0.1) == doctest::Approx(50));  // 250 ms of CPU in 500 ms
}
