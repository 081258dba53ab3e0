// Resource usage of process trees: sums over recorded tables, one live reading of this
// test process, and the incremental reader.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <ctime>

#include "probes/resource_usage.hpp"

using namespace bbx::probes;

namespace {

// A child that waits for its SIGKILL; the caller reaps it.
pid_t paused_child() {
  pid_t child = ::fork();
  if (child == 0) {
    ::pause();
    ::_exit(0);
  }
  return child;
}

ProcStat proc(pid_t pid, pid_t ppid, std::uint64_t ticks, std::int64_t threads, std::uint64_t pages, char state = 'S') {
  ProcStat p;
  p.pid = pid;
  p.ppid = ppid;
  p.state = state;
  p.cpu_ticks = ticks;
  p.utime = ticks;
  p.threads = threads;
  p.rss_pages = pages;
  return p;
}

}  // namespace

TEST_CASE("a tree's usage sums its live descendants, not the root or other processes") {
  // 100 = the shim (root), 101 main, 102 its child, 103 a grandchild, 104 a zombie, 200 unrelated.
  auto shim = proc(100, 1, 500, 1, 1000);
  shim.child_cpu_ticks = 30;  // processes of the tree it reaped
  shim.cutime = 30;
  std::vector<ProcStat> table{shim,
                              proc(101, 100, 100, 3, 256),
                              proc(102, 101, 50, 1, 128),
                              proc(103, 102, 10, 1, 64),
                              proc(104, 101, 999, 1, 999, 'Z'),
                              proc(200, 1, 999, 9, 9999)};
  auto fds = [](pid_t pid) -> std::int64_t { return pid == 103 ? -1 : 10; };
  auto u = sum_tree(table, 100, {4096, 100}, TreeProbe{fds, {}, {}});
  CHECK(u.processes == 3);
  CHECK(u.rss_bytes == (256 + 128 + 64) * 4096);
  CHECK(u.cpu_ms == (100 + 50 + 10 + 30 + 999) * 10);  // the zombie's CPU counts until it is reaped
  CHECK(u.threads == 5);
  CHECK(u.fds == 20);  // an unreadable fd dir counts 0
  auto none = sum_tree(table, 300, {4096, 100}, TreeProbe{fds, {}, {}});
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
  pid_t child = paused_child();
  REQUIRE(child > 0);
  ProcReader reader(1000);
  auto first = reader.read({::getpid()});
  auto after_first = reader.stat_reads();
  auto u = sum_tree(first, ::getpid(), system_scale(), TreeProbe{count_open_fds, {}, {}});
  CHECK(u.processes >= 1);  // the child (and any other child of this test process)
  auto second = reader.read({::getpid()});
  auto second_reads = reader.stat_reads() - after_first;
  CHECK(second_reads <= after_first);  // only the tree (and processes whose parent is gone) again
  CHECK(second.size() + 5 >= first.size());
  CHECK(sum_tree(second, ::getpid(), system_scale(), TreeProbe{count_open_fds, {}, {}}).processes == u.processes);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  auto third = reader.read({::getpid()});
  CHECK(sum_tree(third, ::getpid(), system_scale(), TreeProbe{count_open_fds, {}, {}}).processes == u.processes - 1);
}

TEST_CASE("status, io and smaps_rollup are parsed from recorded text") {
  auto st = parse_proc_status(
      "Name:\tbbx-fixture\nState:\tS (sleeping)\nVmPeak:\t  120000 kB\nVmHWM:\t   24136 kB\nVmRSS:\t   23860 kB\n"
      "Threads:\t2\nvoluntary_ctxt_switches:\t31\nnonvoluntary_ctxt_switches:\t4\n");
  REQUIRE(st);
  CHECK(st->hwm_bytes == 24136u * 1024);
  CHECK(st->ctx_voluntary == 31u);
  CHECK(st->ctx_involuntary == 4u);
  auto kernel_thread = parse_proc_status("Name:\tkthreadd\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t0\n");
  REQUIRE(kernel_thread);
  CHECK_FALSE(kernel_thread->hwm_bytes);
  CHECK_FALSE(parse_proc_status("Name:\tx\n"));
  auto io = parse_proc_io("rchar: 6561183\nwchar: 3276800\nsyscr: 108\nsyscw: 50\nread_bytes: 0\nwrite_bytes: 0\n"
                          "cancelled_write_bytes: 0\n");
  REQUIRE(io);
  CHECK(io->rchar == 6561183u);
  CHECK(io->wchar == 3276800u);
  CHECK_FALSE(parse_proc_io("rchar: 1\n"));
  CHECK(parse_smaps_rollup_pss("55d0c0a00000-7ffd1b5f1000 ---p 00000000 00:00 0 [rollup]\nRss:  23860 kB\n"
                               "Pss:  21017 kB\nPss_Anon: 20000 kB\n") == 21017u * 1024);
  CHECK_FALSE(parse_smaps_rollup_pss("Rss: 1 kB\n"));
}

TEST_CASE("a tree's I/O, context switches, VmHWM and per-process detail: the root adds only what it reaped") {
  // 100 = the shim, 101 main, 102 its child, 104 a zombie child of 101 (not reaped yet).
  auto shim = proc(100, 1, 500, 1, 1000);
  shim.cutime = 20, shim.cstime = 10, shim.child_cpu_ticks = 30;
  auto main_process = proc(101, 100, 100, 3, 256);
  main_process.stime = 40, main_process.utime = 60, main_process.cutime = 5, main_process.child_cpu_ticks = 5;
  std::vector<ProcStat> table{shim, main_process, proc(102, 101, 50, 1, 128), proc(104, 101, 7, 1, 0, 'Z')};
  table[1].comm = "app";
  TreeProbe probe;
  probe.fds = [](pid_t) -> std::int64_t { return 4; };
  probe.status = [](pid_t pid) -> std::optional<ProcStatus> {
    if (pid == 102) return std::nullopt;  // gone mid-read
    return ProcStatus{std::uint64_t(pid) * 1000, std::uint64_t(pid), 1};
  };
  probe.io = [](pid_t pid) -> std::optional<ProcIo> { return ProcIo{std::uint64_t(pid) * 10, std::uint64_t(pid)}; };
  auto u = sum_tree(table, 100, {4096, 100}, probe, Reaped{1000, 2000});
  CHECK(u.fds_read);
  CHECK(u.status_read);
  CHECK(u.io_read);
  CHECK(u.processes == 2);
  CHECK(u.cpu_user_ms == (20 + 60 + 5 + 50 + 7) * 10);
  CHECK(u.cpu_system_ms == (10 + 40) * 10);
  CHECK(u.cpu_ms == u.cpu_user_ms + u.cpu_system_ms);
  CHECK(u.read_bytes == (100 + 101 + 102 + 104) * 10);  // the shim's io holds what it reaped; the zombie's still its own
  CHECK(u.write_bytes == 100 + 101 + 102 + 104);
  CHECK(u.ctx_voluntary == 1000 + 101 + 104);            // the shim's own switches are not the tree's
  CHECK(u.ctx_involuntary == 2000 + 1 + 1);
  CHECK(u.hwm_sum_bytes == 101000);                      // live processes only (102's status was gone)
  REQUIRE(u.procs.size() == 2);
  CHECK(u.procs[0].pid == 101);
  CHECK(u.procs[0].ppid == 100);
  CHECK(u.procs[0].comm == "app");
  CHECK(u.procs[0].cpu_ms == 1050);
  CHECK(u.procs[0].rss_bytes == 256 * 4096);
  CHECK(u.procs[0].threads == 3);
  CHECK(u.procs[0].read_bytes == 1010u);
  CHECK(u.procs[1].pid == 102);
  auto bare = sum_tree(table, 100, {4096, 100}, TreeProbe{});
  CHECK_FALSE(bare.fds_read);
  CHECK_FALSE(bare.status_read);
  CHECK_FALSE(bare.io_read);
  CHECK(bare.fds == 0);
  CHECK_FALSE(bare.procs[0].read_bytes);
}

// The semantics the sums rely on, checked on the running kernel (see resource_usage.hpp).
TEST_CASE("the kernel: a reaped child's io moves into its parent's /proc/PID/io, its context switches do not") {
  auto before_io = read_proc_io(::getpid());
  auto before_status = read_proc_status(::getpid());
  REQUIRE(before_io);
  REQUIRE(before_status);
  int gate[2];
  REQUIRE(::pipe(gate) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    static char block[1 << 16];
    for (int i = 0; i < 64; ++i) (void)!::write(gate[1], block, 1);  // syscall-level writes: wchar
    for (int i = 0; i < 50; ++i) ::usleep(200);                       // voluntary context switches
    ::_exit(0);
  }
  ::close(gate[1]);
  // One blocking wait, then the pipe drained without blocking: the parent's own voluntary
  // switches stay few (a read per byte would block up to 64 times and blur the check).
  ::waitpid(child, nullptr, 0);
  char buf[256];
  while (::read(gate[0], buf, sizeof buf) > 0) {
  }
  ::close(gate[0]);
  auto after_io = read_proc_io(::getpid());
  auto after_status = read_proc_status(::getpid());
  REQUIRE(after_io);
  REQUIRE(after_status);
  CHECK(after_io->wchar >= before_io->wchar + 64);  // the child's 64 writes, now the parent's
  CHECK(*after_status->ctx_voluntary < *before_status->ctx_voluntary + 50);  // its 50 sleeps are not
}

TEST_CASE("the reader's kept files: status, io and fds of a tree process, read again once it ran") {
  int go[2], done[2];
  REQUIRE(::pipe(go) == 0);
  REQUIRE(::pipe(done) == 0);
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    char c;
    if (::read(go[0], &c, 1) != 1) ::_exit(1);
    for (int i = 0; i < 5; ++i) (void)::open("/dev/null", O_RDONLY);
    timespec start{}, now{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
    do ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);  // 60 ms of CPU: its stat's ticks move
    while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1'000'000 < 60);
    if (::write(done[1], "x", 1) != 1) ::_exit(1);
    ::pause();
    ::_exit(0);
  }
  // Until it sleeps in read(2): its start-up (copy-on-write faults) is over, it neither runs
  // nor faults while the reads below take place.
  for (int i = 0; i < 2000; ++i) {
    auto stat = read_proc_stat(child);
    if (stat && stat->state == 'S') break;
    ::usleep(1000);
  }
  ProcReader reader(1000);
  reader.read({::getpid()});
  reader.read({::getpid()});  // tree processes' stat files are kept from their second read
  CHECK(reader.kept_files() >= 1);
  auto status = reader.status(child);
  REQUIRE(status);
  CHECK(status->ctx_voluntary);
  CHECK(reader.io(child));
  auto fds = reader.open_fds(child);
  CHECK(fds >= 3);
  auto kept = reader.kept_files();
  CHECK(kept >= 4);  // stat, status, io and the fd directory of the child at least
  auto reads = reader.detail_reads();
  reader.read({::getpid()});
  CHECK(reader.open_fds(child) == fds);
  CHECK(reader.status(child));
  CHECK(reader.detail_reads() == reads);  // it did not run: the last reads stand (for up to kIdleRefresh)
  CHECK(reader.kept_files() == kept);
  REQUIRE(::write(go[1], "x", 1) == 1);
  char c;
  REQUIRE(::read(done[0], &c, 1) == 1);
  reader.read({::getpid()});  // its stat shows it ran: the detail is read again
  CHECK(reader.open_fds(child) == fds + 5);
  CHECK(reader.detail_reads() == reads + 1);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  reader.read({::getpid()});
  CHECK(reader.kept_files() < kept);  // its files closed with it
  CHECK_FALSE(reader.status(child));  // and nothing is read of it (no pid of the trees)
  for (int fd : {go[0], go[1], done[0], done[1]}) ::close(fd);
}

TEST_CASE("given the trees' members (a cgroup's procs), the reader reads those and the roots only") {
  pid_t child = paused_child();
  REQUIRE(child > 0);
  ProcReader reader(1000);
  std::vector<pid_t> members{child};
  auto table = reader.read({::getpid()}, &members);
  CHECK(table.size() == 2);  // this process (the root) and its child, not the machine's
  CHECK(sum_tree(table, ::getpid(), system_scale(), TreeProbe{}).processes == 1);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
}

TEST_CASE("a tree read while one of its processes reaps children is one moment's: its CPU never drops") {
  // A child that keeps 40 sleeping children (pids between it and what it forks next, so a
  // read spends a while between its stat and its newest child's) and forks, one after
  // another, a child spinning 40 ms of CPU that it reaps at once. A read that took the
  // reaper's stat before a reap and the spinner's after it would miss the spinner's CPU
  // (4 ticks; a tick's rounding between a zombie's stat and its parent's is allowed).
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  pid_t reaper = ::fork();
  REQUIRE(reaper >= 0);
  if (reaper == 0) {
    ::setpgid(0, 0);  // a group of its own: killed with its sleepers at the end
    for (int i = 0; i < 40; ++i)
      if (::fork() == 0) {
        ::pause();
        ::_exit(0);
      }
    if (::write(ready[1], "x", 1) != 1) ::_exit(1);
    for (int i = 0; i < 40; ++i) {
      pid_t spinner = ::fork();
      if (spinner == 0) {
        timespec start{}, now{};
        ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &start);
        do ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
        while ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1'000'000 < 40);
        ::_exit(0);
      }
      ::waitpid(spinner, nullptr, 0);
    }
    ::kill(0, SIGKILL);  // its sleepers and itself (its own process group)
    ::_exit(0);
  }
  char c;
  REQUIRE(::read(ready[0], &c, 1) == 1);
  ProcReader reader(1000);
  const auto scale = system_scale();
  const std::uint64_t tick_ms = 1000 / scale.ticks_per_second;
  std::uint64_t last = 0;
  int drops = 0, reads = 0;
  // Reads until the reaper is done (1.6 s of spinners), each compared with the highest before.
  for (; reads < 100000; ++reads) {
    const auto& table = reader.read({reaper});
    auto u = sum_tree(table, reaper, scale, TreeProbe{});
    if (u.processes == 0) break;
    if (u.cpu_ms + tick_ms < last) ++drops;
    last = std::max(last, u.cpu_ms);
  }
  INFO(reads, " reads, ", reader.rereads(), " made again");
  CHECK(reads > 10);
  CHECK(drops == 0);
  ::waitpid(reaper, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
}
