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
