#include "runner/runner_launch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>

#include "bbx/error.hpp"
#include "util/signals.hpp"

namespace bbx::runner {

namespace {

// Words on the done pipe: a scenario index, or kWake from a signal handler.
constexpr std::uint32_t kWake = 0xffffffffu;

// Runners are tracked here for the interrupt handler: -j is at most 256, plus one runner
// prepared ahead, plus runners done but not reaped yet (each slot is freed when reaped).
constexpr std::size_t kMaxRunners = 1024;
volatile sig_atomic_t g_interrupted = 0;     // the first interrupting signal; 0 while none
volatile pid_t g_runners[kMaxRunners] = {};  // 0: free slot; written with the signals blocked
volatile int g_done_write = -1;              // non-blocking write end of the done pipe

void wake() {
  int saved = errno;
  std::uint32_t word = kWake;
  if (g_done_write >= 0) [[maybe_unused]] auto n = ::write(g_done_write, &word, sizeof word);
  errno = saved;
}

void on_interrupt(int sig) {
  if (!g_interrupted) g_interrupted = sig;
  for (std::size_t i = 0; i < kMaxRunners; ++i)
    if (g_runners[i] > 0) ::kill(g_runners[i], sig);
  wake();
}

void on_child(int) { wake(); }

volatile sig_atomic_t g_continued = 0;  // SIGCONT since the last continued()
void on_continue(int) {
  g_continued = 1;
  wake();
}

// With the interrupt signals blocked, so the handler never sees a half-written slot.
void track_runner(pid_t pid, bool add) {
  sigset_t block = util::interrupt_signals(), old;
  ::sigprocmask(SIG_BLOCK, &block, &old);
  for (std::size_t i = 0; i < kMaxRunners; ++i)
    if (add ? g_runners[i] == 0 : g_runners[i] == pid) {
      g_runners[i] = add ? pid : 0;
      break;
    }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
}

struct sigaction g_old_int {}, g_old_term {}, g_old_child {}, g_old_cont {};

}  // namespace

RunnerLauncher::RunnerLauncher() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail_harness("cannot create the runners' pipe");
  ::fcntl(fds[1], F_SETFL, O_NONBLOCK);  // a handler must never block on it
  done_read_ = fds[0];
  g_done_write = fds[1];
  g_interrupted = 0;
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;  // no SA_RESTART: a blocking read returns EINTR
  ::sigaction(SIGINT, &sa, &g_old_int);
  ::sigaction(SIGTERM, &sa, &g_old_term);
  sa.sa_handler = on_continue;
  ::sigaction(SIGCONT, &sa, &g_old_cont);
  g_continued = 0;
  sa.sa_handler = on_child;
  sa.sa_flags = SA_NOCLDSTOP;
  ::sigaction(SIGCHLD, &sa, &g_old_child);
}

RunnerLauncher::~RunnerLauncher() {
  ::sigaction(SIGINT, &g_old_int, nullptr);
  ::sigaction(SIGTERM, &g_old_term, nullptr);
  ::sigaction(SIGCHLD, &g_old_child, nullptr);
  ::sigaction(SIGCONT, &g_old_cont, nullptr);
  int write_end = g_done_write;
  g_done_write = -1;
  ::close(write_end);
  ::close(done_read_);
}

int RunnerLauncher::interrupted() const { return g_interrupted; }

bool RunnerLauncher::continued() {
  bool was = g_continued != 0;
  g_continued = 0;
  return was;
}

LaunchedRunner RunnerLauncher::prepare(std::size_t index, IsolationMode mode,
                                       const std::function<int(const std::string&)>& body) {
  LaunchedRunner r;
  r.index = index;
  int go[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return r;
  int done_read = done_read_;
  // Forked with the interrupt signals blocked: the runner unblocks them once its own handler
  // is in place (the scenario driver), so an early interrupt is pending there, never lost.
  sigset_t block = util::interrupt_signals(), old;
  ::sigprocmask(SIG_BLOCK, &block, &old);
  auto in_child = [&] {
    ::signal(SIGCHLD, SIG_DFL);  // the coordinator's handlers are not the runner's
    ::signal(SIGCONT, SIG_DFL);
    ::close(go[1]);              // in every process of the runner: a discard must reach EOF
    ::close(done_read);
  };
  r.pid = fork_runner(mode, [&](const std::string& mode_that_ran) {
    char byte = 0;
    ssize_t n;
    while ((n = ::read(go[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) return 0;  // discarded, or the coordinator is gone
    ::close(go[0]);
    int code = body(mode_that_ran);
    std::uint32_t word = static_cast<std::uint32_t>(index);
    if (code == 0) [[maybe_unused]] auto w = ::write(g_done_write, &word, sizeof word);
    return code;
  }, in_child);
  if (r.pid > 0) track_runner(r.pid, true);
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  ::close(go[0]);
  if (r.pid < 0) {
    ::close(go[1]);
    return r;
  }
  ++live_;
  r.go_fd = go[1];
  return r;
}

void RunnerLauncher::start(LaunchedRunner& runner) {
  char go = 'g';
  [[maybe_unused]] auto n = ::write(runner.go_fd, &go, 1);
  ::close(runner.go_fd);
  runner.go_fd = -1;
}

void RunnerLauncher::discard(LaunchedRunner& runner) {
  ::close(runner.go_fd);
  runner.go_fd = -1;
}

RunnerLauncher::Events RunnerLauncher::wait(std::chrono::steady_clock::time_point until) {
  Events events;
  bool interrupt_seen = g_interrupted != 0;
  for (;;) {
    int status = 0;
    for (pid_t pid; live_ > 0 && (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
      track_runner(pid, false);
      --live_;
      events.reaped.push_back({pid, status});
    }
    // A runner reports done before it exits: reaped now, its word is in the pipe already.
    int available = 0;
    if (::ioctl(done_read_, FIONREAD, &available) == 0 && available > 0) read_words(events);
    if (!events.reaped.empty() || !events.done.empty() || live_ == 0) return events;
    if ((g_interrupted && !interrupt_seen) || g_continued) return events;
    int timeout_ms = -1;
    if (until != std::chrono::steady_clock::time_point::max()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return events;
      timeout_ms = static_cast<int>(std::min<std::int64_t>(left.count(), 60'000));
    }
    pollfd readable{done_read_, POLLIN, 0};
    int n = ::poll(&readable, 1, timeout_ms);  // a signal's wake-up word makes it readable too
    if (n > 0) read_words(events);
    else if (n < 0 && errno != EINTR) fail_harness("cannot wait for the runners");
  }
}

void RunnerLauncher::read_words(Events& events) {
  std::uint32_t words[64];
  ssize_t n = ::read(done_read_, words, sizeof words);  // whole words: each written atomically
  if (n < 0 && errno != EINTR) fail_harness("cannot read the runners' pipe");
  for (ssize_t i = 0; i < n / static_cast<ssize_t>(sizeof words[0]); ++i)
    if (words[i] != kWake) events.done.push_back(words[i]);
}

}  // namespace bbx::runner
