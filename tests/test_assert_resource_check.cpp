// resources: peaks over recorded resource.sample events, exact failure text.
#include <doctest/doctest.h>

#include <regex>

#include "assert/resource_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::ResourceCheck;

namespace {

std::uint64_t sample(journal::Journal& j, const std::string& subject, std::int64_t rss, std::int64_t cpu_ms,
                     std::int64_t fds, std::int64_t threads) {
  return j.append({"subject", subject, 100}, bbx::journal::ev::resource_sample,
                  {{"rss_bytes", rss}, {"cpu_ms", cpu_ms}, {"fds", fds}, {"threads", threads}, {"processes", 1}});
}

model::Count range(std::int64_t min, std::int64_t max, const std::string& text) { return {min, max, std::nullopt, text}; }

// "t=0.012s" varies with the machine; everything else is exact.
std::string without_times(const std::string& s) { return std::regex_replace(s, std::regex("t=[0-9]+\\.[0-9]{3}s"), "t=T"); }

constexpr std::int64_t MiB = 1024 * 1024;

}  // namespace

TEST_CASE("peaks within every range pass, citing each peak") {
  auto j = temp_journal("resource-pass");
  sample(*j, "app", 10 * MiB, 20, 8, 2);
  sample(*j, "other", 900 * MiB, 9000, 900, 90);  // another subject: not counted
  sample(*j, "app", 12 * MiB, 40, 7, 3);
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.max_rss = range(INT64_MIN, 64 * MiB - 1, "< 64MiB");
  spec.cpu = range(INT64_MIN, 2'000'000'000 - 1, "< 2s");
  spec.fds = range(INT64_MIN, 50, "<= 50");
  spec.threads = range(INT64_MIN, 8, "<= 8");
  auto r = run_check<ResourceCheck>(spec, *j);
  CHECK(r.passed);
  CHECK(r.what == "resources of subject 'app'");
  CHECK(r.expected == "max_rss < 64MiB, cpu < 2s, fds <= 50, threads <= 8");
  CHECK(without_times(r.actual) ==
        "max_rss peak 12.0MiB at t=T (seq 3); cpu peak 40ms at t=T (seq 3); fds peak 8 at t=T (seq 1); "
        "threads peak 3 at t=T (seq 3); 2 samples");
  CHECK(r.evidence == std::vector<std::uint64_t>{3, 3, 1, 3});
}

TEST_CASE("a peak outside its range fails, naming the range it misses and its seq") {
  auto j = temp_journal("resource-fail");
  sample(*j, "app", 10 * MiB, 900, 8, 2);
  sample(*j, "app", 80 * MiB, 2500, 8, 2);
  sample(*j, "app", 70 * MiB, 2600, 8, 2);
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.max_rss = range(INT64_MIN, 64 * MiB - 1, "< 64MiB");
  spec.cpu = range(INT64_MIN, 2'000'000'000 - 1, "< 2s");
  auto r = run_check<ResourceCheck>(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(without_times(r.actual) ==
        "max_rss peak 80.0MiB at t=T (seq 2), not < 64MiB; cpu peak 2.60s at t=T (seq 3), not < 2s; 3 samples");
  CHECK(r.evidence == std::vector<std::uint64_t>{2, 3});
  CHECK(std::regex_search(r.actual, std::regex("^max_rss peak 80.0MiB at t=[0-9]+\\.[0-9]{3}s")));
}

TEST_CASE("no samples at all fail") {
  auto j = temp_journal("resource-none");
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.fds = range(INT64_MIN, 50, "<= 50");
  auto r = run_check<ResourceCheck>(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "fds <= 50");
  CHECK(r.actual == "no resource samples of subject 'app' (it never ran while sampled)");
}

TEST_CASE("a window limits the samples considered") {
  auto j = temp_journal("resource-window");
  sample(*j, "app", 1 * MiB, 0, 3, 1);
  auto after = sample(*j, "app", 1 * MiB, 0, 3, 1);
  sample(*j, "app", 1 * MiB, 0, 40, 1);
  auto before = sample(*j, "app", 1 * MiB, 0, 3, 1);
  sample(*j, "app", 1 * MiB, 0, 99, 1);
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.fds = range(INT64_MIN, 10, "<= 10");
  ResourceCheck check(spec);
  check.limit(after, before);
  CHECK_FALSE(check.update(*j));
  auto r = check.result(here());
  CHECK(without_times(r.actual) == "fds peak 40 at t=T (seq 3), not <= 10; 1 sample");
}

namespace {

// without_times, also for the end of a span ("t=0.001s..0.002s").
std::string no_times(const std::string& s) {
  return std::regex_replace(without_times(s), std::regex("\\.\\.[0-9]+\\.[0-9]{3}s"), "..T");
}

// A sample with the fields bbx writes since the profiling issue (#19).
std::uint64_t full_sample(journal::Journal& j, std::int64_t cpu_ms, std::int64_t read, std::int64_t write,
                          std::int64_t ctx, std::optional<std::int64_t> pss = std::nullopt) {
  nlohmann::json body = {{"rss_bytes", MiB},     {"cpu_ms", cpu_ms},         {"fds", 3},
                         {"threads", 1},         {"processes", 1},           {"read_bytes", read},
                         {"write_bytes", write}, {"ctx_voluntary", ctx - 1}, {"ctx_involuntary", 1}};
  if (pss) body["pss_bytes"] = *pss;
  return j.append({"subject", "app", 100}, bbx::journal::ev::resource_sample, std::move(body));
}

}  // namespace

TEST_CASE("I/O totals, context switches and PSS pass within their ranges; CPU percent over the samples' span") {
  auto j = temp_journal("resource-new-pass");
  full_sample(*j, 7, 100, 10, 5, 2 * MiB);  // no CPU used between the samples: 0%
  full_sample(*j, 7, 200, 20, 9);
  full_sample(*j, 7, 300, 30, 12, 3 * MiB);
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.max_pss = range(INT64_MIN, 4 * MiB - 1, "< 4MiB");
  spec.read_bytes = range(300, INT64_MAX, ">= 300B");
  spec.write_bytes = range(INT64_MIN, 1023, "< 1KiB");
  spec.ctx_switches = range(12, 12, "12");
  spec.cpu_percent = range(0, 100 * 100, "<= 100");
  auto r = run_check<ResourceCheck>(spec, *j);
  CHECK(r.passed);
  CHECK(r.expected == "max_pss < 4MiB, read_bytes >= 300B, write_bytes < 1KiB, ctx_switches 12, cpu_percent <= 100");
  CHECK(no_times(r.actual) ==
        "max_pss peak 3.0MiB at t=T (seq 3); read_bytes 300B at t=T (seq 3); write_bytes 30B at t=T (seq 3); "
        "ctx_switches 12 at t=T (seq 3); cpu_percent 0.0% over t=T..T (seqs 1..3); 3 samples");
  CHECK(r.evidence == std::vector<std::uint64_t>{3, 3, 3, 3, 1, 3});
}

TEST_CASE("totals over their ranges fail citing the last sample; a window counts the growth inside it") {
  auto j = temp_journal("resource-new-fail");
  full_sample(*j, 0, 100, 2 * MiB, 5);
  auto after = full_sample(*j, 0, 100, 2 * MiB, 5);
  full_sample(*j, 0, 100, 2 * MiB + 10, 5);
  full_sample(*j, 0, 100, 3 * MiB, 7);
  auto before = full_sample(*j, 0, 100, 9 * MiB, 9);
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.write_bytes = range(INT64_MIN, MiB - 1, "< 1MiB");
  spec.ctx_switches = range(INT64_MIN, 1, "<= 1");
  auto whole = run_check<ResourceCheck>(spec, *j);
  CHECK_FALSE(whole.passed);
  CHECK(without_times(whole.actual) ==
        "write_bytes 9.0MiB at t=T (seq 5), not < 1MiB; ctx_switches 9 at t=T (seq 5), not <= 1; 5 samples");
  CHECK(whole.evidence == std::vector<std::uint64_t>{5, 5});
  ResourceCheck windowed(spec);
  windowed.limit(after, before);  // seqs 3 and 4: 1MiB - 10B written, 2 switches
  CHECK_FALSE(windowed.update(*j));
  auto r = windowed.result(here());
  CHECK(no_times(r.actual) ==  // 1MiB - 10B written inside: in range
        "write_bytes 1024KiB over t=T..T (seqs 3..4); ctx_switches 2 over t=T..T (seqs 3..4), not <= 1; 2 samples");
  CHECK(r.evidence == std::vector<std::uint64_t>{3, 4});
}

TEST_CASE("a restart's total adds on; unknown measures fail: old journals, PSS never read, one sample for a rate") {
  auto j = temp_journal("resource-new-unknown");
  full_sample(*j, 0, 100, 50, 5);
  full_sample(*j, 0, 40, 50, 5);  // restarted: a new tree's total
  sample(*j, "app", MiB, 5, 3, 1);  // an older bbx's sample: no I/O fields
  model::ResourceExpectation spec;
  spec.subject = "app";
  spec.read_bytes = range(140, 140, "140B");
  spec.max_pss = range(INT64_MIN, MiB, "<= 1MiB");
  auto r = run_check<ResourceCheck>(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(without_times(r.actual) ==
        "max_pss unknown (no sample has pss_bytes: PSS is read on a start's first sample and once a second, not above 1GiB of RSS), not <= 1MiB; "
        "read_bytes 140B at t=T (seq 2); 3 samples");
  auto one = temp_journal("resource-new-one");
  sample(*one, "app", MiB, 5, 3, 1);
  model::ResourceExpectation rate;
  rate.subject = "app";
  rate.cpu_percent = range(INT64_MIN, 5000, "<= 50");
  rate.write_bytes = range(INT64_MIN, 5000, "<= 5000B");
  auto single = run_check<ResourceCheck>(rate, *one);
  CHECK_FALSE(single.passed);
  CHECK(without_times(single.actual) ==
        "write_bytes unknown (no sample has it: a journal of an older bbx?), not <= 5000B; cpu_percent unknown (one "
        "sample: no interval), not <= 50; 1 sample");
}
