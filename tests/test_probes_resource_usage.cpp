// Resource usage of process trees: sums over recorded tables, one live reading of this
// test process, and the incremental reader.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "probes/resource_usage.hpp"

using namespace bbx::probes;

namespace {

ProcStat proc(pid_t pid, pid_t ppid, std::uint64_t ticks, std::int64_t threads, std::uint64_t pages, char state = 'S') {
  ProcStat p;
  p.pid = pid;
  p.ppid = ppid;
  p.state = state;
  p.cpu_ticks = ticks;
  p.threads = threads;
  p.rss_pages = pages;
  return p;
}

}  // namespace

TEST_CASE("a tree's usage sums its live descendants, not the root or other processes") {
  // 100 = the shim (root), 101 main, 102 its child, 103 a grandchild, 104 a zombie, 200 unrelated.
  auto shim = proc(100, 1, 500, 1, 1000);
  shim.child_cpu_ticks = 30;  // processes of the tree it reaped
  std::vector<ProcStat> table{shim,
                              proc(101, 100, 100, 3, 256),
                              proc(102, 101, 50, 1, 128),
                              proc(103, 102, 10, 1, 64),
                              proc(104, 101, 999, 1, 999, 'Z'),
                              proc(200, 1, 999, 9, 9999)};
  auto fds = [](pid_t pid) -> std::int64_t { return pid == 103 ? -1 : 10; };
  auto u = sum_tree(table, 100, {4096, 100}, fds);
  CHECK(u.processes == 3);
  CHECK(u.rss_bytes == (256 + 128 + 64) * 4096);
  CHECK(u.cpu_ms == (100 + 50 + 10 + 30) * 10);
  CHECK(u.threads == 5);
  CHECK(u.fds == 20);  // an unreadable fd dir counts 0
  auto none = sum_tree(table, 300, {4096, 100}, fds);
  CHECK(none.processes == 0);
  CHECK(none.rss_bytes == 0);
}

TEST_CASE("this process is read from /proc") {
  auto table = read_proc_table();
  pid_t self = ::getpid();
  bool found = false;
  for (const auto& p : table)
    if (p.pid == self) {
      found = true;
      CHECK(p.threads >= 1);
      CHECK(p.rss_pages > 0);
    }
  CHECK(found);
  CHECK(count_open_fds(self) >= 3);
  CHECK(count_open_fds(999999999) == -1);
  auto scale = system_scale();
  CHECK(scale.page_size >= 4096);
  CHECK(scale.ticks_per_second > 0);
}

TEST_CASE("the incremental reader sees a tree fresh and reads other processes only once between refreshes") {
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  ProcReader reader(1000);
  auto first = reader.read({::getpid()});
  auto after_first = reader.stat_reads();
  auto u = sum_tree(first, ::getpid(), system_scale(), count_open_fds);
  CHECK(u.processes >= 1);  // the child (and any other child of this test process)
  auto second = reader.read({::getpid()});
  auto second_reads = reader.stat_reads() - after_first;
  CHECK(second_reads <= after_first);  // only the tree (and processes whose parent is gone) again
  CHECK(second.size() + 5 >= first.size());
  CHECK(sum_tree(second, ::getpid(), system_scale(), count_open_fds).processes == u.processes);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  auto third = reader.read({::getpid()});
  CHECK(sum_tree(third, ::getpid(), system_scale(), count_open_fds).processes == u.processes - 1);
}
