#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "probes/proc_table.hpp"
#include "process/thread_stacks.hpp"

using namespace bbx::process;

namespace {

// Recorded from `eu-stack -p` and `gdb -batch -ex "thread apply all bt"` on the same
// three-thread program.
constexpr const char* kEuStack = R"(PID 25666 - process
TID 25666:
#0  0x00007fbee3548545 clock_nanosleep@GLIBC_2.2.5
#1  0x00007fbee354ce53 __nanosleep
#2  0x00005608dd19f1b8 fixture::serve(fixture::Options const&)
TID 25668:
#0  0x00007fbee354cdf2 pause
#1  0x00005608dd19f16a f
#2  0x00007fbee35021f5 start_thread
TID 25669:
#0  0x00007fbee354cdf2 pause
#1  0x00005608dd19f16a f
#2  0x00007fbee35021f5 start_thread
)";

constexpr const char* kGdb = R"([New LWP 25668]
0x00007fbee3548545 in __GI___clock_nanosleep (clock_id=0) at clock_nanosleep.c:48

Thread 3 (Thread 0x7fbee2c746c0 (LWP 25669) "th"):
#0  0x00007fbee354cdf2 in __libc_pause () at ../sysdeps/unix/sysv/linux/pause.c:29
#1  0x00005608dd19f16a in f (a=0x0) at /tmp/th.c:3

Thread 2 (Thread 0x7fbee34756c0 (LWP 25668) "th"):
#0  0x00007fbee354cdf2 in __libc_pause () at ../sysdeps/unix/sysv/linux/pause.c:29
#1  0x00005608dd19f16a in f (a=0x0) at /tmp/th.c:3

Thread 1 (Thread 0x7fbee3476740 (LWP 25666) "th"):
#0  __GI___clock_nanosleep (clock_id=0) at clock_nanosleep.c:48
#1  0x00005608dd19f1b8 in main () at /tmp/th.c:4
[Inferior 1 (process 25666) detached]
)";

// A child with `extra` threads besides its main one, all blocked in pause(); stopped first
// when `stop` (the capture must leave it as it found it).
pid_t start_child(int extra, bool stop) {
  pid_t pid = ::fork();
  if (pid == 0) {
    for (int i = 0; i < extra; ++i) std::thread([] { for (;;) ::pause(); }).detach();
    if (stop) ::raise(SIGSTOP);
    for (;;) ::pause();
  }
  return pid;
}

char state_of(pid_t pid) {
  auto s = bbx::probes::read_proc_stat(pid);
  return s ? s->state : '?';
}

// Waits (bounded) until the child's threads all exist and it reached the expected state.
bool settled(pid_t pid, long threads, char state) {
  for (int i = 0; i < 2000; ++i) {
    auto s = bbx::probes::read_proc_stat(pid);
    if (s && s->threads == threads && s->state == state) return true;
    std::this_thread::yield();
    ::usleep(1000);
  }
  return false;
}

void end_child(pid_t pid) {
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

}  // namespace

TEST_CASE("eu-stack text: one thread per TID, function names innermost first") {
  auto threads = parse_eu_stack(kEuStack);
  REQUIRE(threads.size() == 3);
  CHECK(threads[0].tid == 25666);
  CHECK(threads[0].frames == std::vector<std::string>{"clock_nanosleep@GLIBC_2.2.5", "__nanosleep", "fixture::serve(fixture::Options const&)"});
  CHECK(threads[2].frames == std::vector<std::string>{"pause", "f", "start_thread"});
}

TEST_CASE("gdb text: LWPs as tids in order, 'in NAME (' and a frame without an address") {
  auto threads = parse_gdb_backtraces(kGdb);
  REQUIRE(threads.size() == 3);
  CHECK(threads[0].tid == 25666);
  CHECK(threads[0].frames == std::vector<std::string>{"__GI___clock_nanosleep", "main"});
  CHECK(threads[1].tid == 25668);
  CHECK(threads[1].frames == std::vector<std::string>{"__libc_pause", "f"});
}

TEST_CASE("identical stacks are grouped, the largest group first") {
  auto groups = group_stacks(parse_eu_stack(kEuStack));
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].tids == std::vector<pid_t>{25668, 25669});
  CHECK(groups[1].tids == std::vector<pid_t>{25666});
  ProcessStacks p;
  p.pid = 25666;
  p.comm = "th";
  p.tool = "eu-stack";
  p.frozen = std::chrono::milliseconds(12);
  p.threads = parse_eu_stack(kEuStack);
  CHECK(format_stacks({p}) ==
        "pid 25666 (th), 3 threads, read with eu-stack, frozen 12ms\n"
        "  2 threads (tid 25668, 25669):\n    pause\n    f\n    start_thread\n"
        "  1 thread (tid 25666):\n    clock_nanosleep@GLIBC_2.2.5\n    __nanosleep\n    fixture::serve(fixture::Options const&)\n");
}

TEST_CASE("a live capture reads every thread and leaves the process running") {
  pid_t pid = start_child(3, false);
  REQUIRE(settled(pid, 4, 'S'));
  auto captured = capture_stacks({pid});
  REQUIRE(captured.size() == 1);
  INFO(captured[0].error);
  CHECK(captured[0].tool == "eu-stack");
  CHECK(captured[0].error.empty());
  CHECK(captured[0].threads.size() == 4);
  CHECK(captured[0].frozen.count() > 0);
  CHECK(state_of(pid) != 'T');
  CHECK(state_of(pid) != 't');
  end_child(pid);
}

TEST_CASE("a process stopped before the capture stays stopped; a gone one is said to be gone") {
  pid_t pid = start_child(1, true);
  REQUIRE(settled(pid, 2, 'T'));
  auto captured = capture_stacks({pid});
  CHECK(state_of(pid) == 'T');
  end_child(pid);
  auto gone = capture_stacks({pid});
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].error == "gone before its stacks were read");
  CHECK(gone[0].threads.empty());
}
