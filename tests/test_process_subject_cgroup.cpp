// Subject cgroups on this host: made below the runner's own cgroup, joined by a process,
// removed at the end; turned off by BBX_CGROUPS=off; stale ones of dead runners swept.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "probes/cgroup_stats.hpp"
#include "process/subject_cgroup.hpp"

using namespace bbx;

TEST_CASE("a subject cgroup holds what joins it, counts its CPU, and is removed with its owner") {
  std::filesystem::path dir;
  {
    process::SubjectCgroups cgroups;
    auto made = cgroups.make("app/x");
    if (!made) {
      MESSAGE("cgroup v2 is not writable here: nothing more to check");
      return;
    }
    dir = *made;
    CHECK(dir.filename() == "app_x-1");
    CHECK(std::filesystem::is_directory(dir));
    CHECK(cgroups.make("app/x")->filename() == "app_x-2");
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      std::ofstream(dir / "cgroup.procs") << "0\n";
      volatile unsigned long n = 0;
      for (unsigned long i = 0; i < 50'000'000; ++i) n = n + 1;
      ::_exit(0);
    }
    ::waitpid(child, nullptr, 0);
    auto stats = probes::read_cgroup_stats(dir);
    REQUIRE(stats.cpu);
    CHECK(stats.cpu->usage_usec > 1000);  // the child's CPU stays after it is gone
    CHECK(stats.cpu->user_usec + stats.cpu->system_usec > 0);
  }
  CHECK_FALSE(std::filesystem::exists(dir));
  CHECK_FALSE(std::filesystem::exists(dir.parent_path()));
}

TEST_CASE("BBX_CGROUPS=off: no cgroups") {
  ::setenv("BBX_CGROUPS", "off", 1);
  process::SubjectCgroups cgroups;
  CHECK_FALSE(cgroups.make("app"));
  ::unsetenv("BBX_CGROUPS");
}

TEST_CASE("the sweep removes an old unlocked bbx-* cgroup and keeps a locked one") {
  auto mount = probes::cgroup2_mount();
  auto own = probes::cgroup2_path_of(::getpid());
  if (!mount || !own) return;
  auto base = *mount / std::filesystem::path(*own).relative_path();
  auto stale = base / "bbx-unit-stale", held = base / "bbx-unit-held";
  if (::mkdir(stale.c_str(), 0755) != 0) {
    MESSAGE("cgroup v2 is not writable here: nothing more to check");
    return;
  }
  REQUIRE(::mkdir((stale / "app-1").c_str(), 0755) == 0);
  REQUIRE(::mkdir(held.c_str(), 0755) == 0);
  int lock = ::open(held.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(::flock(lock, LOCK_EX) == 0);
  process::sweep_stale_cgroups(base);  // both are younger than a minute: kept
  CHECK(std::filesystem::exists(stale));
  timespec old[2] = {{0, UTIME_OMIT}, {::time(nullptr) - 120, 0}};
  ::utimensat(AT_FDCWD, stale.c_str(), old, 0);
  ::utimensat(AT_FDCWD, held.c_str(), old, 0);
  process::sweep_stale_cgroups(base);
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::exists(held));  // its runner (this test) is alive
  ::close(lock);
  ::rmdir(held.c_str());
}
