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

// Seen in the flake hunt under stress-ng: a tick between the shim's spawn and its joining the
// cgroup found it outside, and the instance was read from /proc for good ("proc" accounting
// where "cgroup" was due).
TEST_CASE("cgroup membership: decided by where the shim is once the command started, not before") {
  using bbx::profile::cgroup_membership;
  const std::string dir = "/sys/fs/cgroup/unified/bbx-0123456789abcdef/app-1";
  CHECK(cgroup_membership(dir, std::string("/bbx-0123456789abcdef/app-1"), false) == true);
  CHECK(cgroup_membership(dir, std::string("/bbx-0123456789abcdef/app-1"), true) == true);
  CHECK_FALSE(cgroup_membership(dir, std::string("/"), false).has_value());  // not joined yet: ask again
  CHECK_FALSE(cgroup_membership(dir, std::nullopt, false).has_value());
  CHECK(cgroup_membership(dir, std::string("/"), true) == false);  // started outside it: the join failed
  CHECK(cgroup_membership(dir, std::string("/elsewhere"), true) == false);
  CHECK(cgroup_membership("", std::string("/"), false) == false);  // no cgroup made for it
}
