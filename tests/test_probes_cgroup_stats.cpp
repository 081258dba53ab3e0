// cgroup v2 files parsed from recorded text: mountinfo (hybrid and pure v2 hosts),
// /proc/PID/cgroup, cpu.stat; and the live readers on this host.
#include <doctest/doctest.h>

#include <unistd.h>

#include "probes/cgroup_stats.hpp"

using namespace bbx::probes;

TEST_CASE("the cgroup2 mount is found in mountinfo on hybrid and pure v2 hosts, or is absent") {
  const char* hybrid =
      "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
      "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
      "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
  CHECK(parse_cgroup2_mount(hybrid) == std::filesystem::path("/sys/fs/cgroup/unified"));
  const char* pure =
      "25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
      "26 25 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:8 - cgroup2 cgroup2 rw,nsdelegate\n";
  CHECK(parse_cgroup2_mount(pure) == std::filesystem::path("/sys/fs/cgroup"));
  CHECK_FALSE(parse_cgroup2_mount("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"));
}

TEST_CASE("the v2 path of /proc/PID/cgroup and cpu.stat") {
  CHECK(parse_cgroup2_path("4:memory:/x\n1:cpu:/\n0::/bbx-1/app-1\n") == std::string("/bbx-1/app-1"));
  CHECK(parse_cgroup2_path("0::/\n") == std::string("/"));
  CHECK_FALSE(parse_cgroup2_path("4:memory:/x\n"));
  auto cpu = parse_cgroup_cpu_stat("usage_usec 477743\nuser_usec 473827\nsystem_usec 3915\nnice_usec 0\n"
                                   "nr_periods 0\n");
  REQUIRE(cpu);
  CHECK(cpu->usage_usec == 477743u);
  CHECK(cpu->user_usec == 473827u);
  CHECK(cpu->system_usec == 3915u);
  CHECK_FALSE(parse_cgroup_cpu_stat("usage_usec 1\nuser_usec 1\n"));
  CHECK_FALSE(parse_cgroup_cpu_stat("usage_usec_x 1\nuser_usec 1\nsystem_usec 1\n"));
}

TEST_CASE("the live readers: a missing cgroup has no stats") {
  auto none = read_cgroup_stats("/nonexistent-cgroup-dir");
  CHECK_FALSE(none.cpu);
  CHECK_FALSE(none.memory_peak);
  if (auto mount = cgroup2_mount()) {  // hosts without cgroup2 have nothing more to check
    auto own = cgroup2_path_of(::getpid());
    REQUIRE(own);
    auto dir = *mount / std::filesystem::path(*own).relative_path();
    if (std::filesystem::exists(dir / "cpu.stat")) CHECK(read_cgroup_stats(dir).cpu.has_value());
  }
}

TEST_CASE("cgroup.procs: a pid a line, sorted; anything else is unreadable") {
  auto procs = parse_cgroup_procs("4012\n17\n300\n");
  REQUIRE(procs);
  CHECK(*procs == std::vector<pid_t>{17, 300, 4012});
  CHECK(parse_cgroup_procs("")->empty());  // an emptied cgroup
  CHECK_FALSE(parse_cgroup_procs("17\nx\n"));
  CHECK_FALSE(parse_cgroup_procs("0\n"));
  CHECK_FALSE(read_cgroup_procs("/nonexistent/cgroup"));
}
