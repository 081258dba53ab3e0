// The sampler's absolute deadlines: no drift, late ticks skip the deadlines already past.
#include <doctest/doctest.h>

#include "profile/resource_sampler.hpp"

using bbx::profile::next_deadline;
using namespace std::chrono;

TEST_CASE("the next deadline is the previous one plus the interval, however late the tick ran") {
  steady_clock::time_point t0{};
  auto d = next_deadline(t0, milliseconds(100), t0 + milliseconds(37));  // a tick 37 ms late
  CHECK(d.at == t0 + milliseconds(100));  // not now + 100 ms: no drift
  CHECK(d.skipped == 0);
  auto on_time = next_deadline(t0 + milliseconds(100), milliseconds(100), t0 + milliseconds(100));
  CHECK(on_time.at == t0 + milliseconds(200));
}

TEST_CASE("a tick later than the next deadline skips to the first one in the future, counting the skipped") {
  steady_clock::time_point t0{};
  auto d = next_deadline(t0, milliseconds(100), t0 + milliseconds(350));
  CHECK(d.at == t0 + milliseconds(400));
  CHECK(d.skipped == 3);  // 100, 200, 300
  auto exact = next_deadline(t0, milliseconds(100), t0 + milliseconds(100));  // the next one is now: kept
  CHECK(exact.at == t0 + milliseconds(100));
  CHECK(exact.skipped == 0);
  auto just_after = next_deadline(t0, milliseconds(100), t0 + milliseconds(100) + nanoseconds(1));
  CHECK(just_after.at == t0 + milliseconds(200));
  CHECK(just_after.skipped == 1);
}
