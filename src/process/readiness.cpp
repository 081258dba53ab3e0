#include "process/readiness.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <memory>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "process/command_runner.hpp"
#include "process/subject_evidence.hpp"
#include "probes/listening_sockets.hpp"
#include "probes/http_client.hpp"
#include "util/regex.hpp"
#include "util/clock.hpp"
#include "util/units.hpp"
#include "util/fd_limit.hpp"

namespace bbx::process {

namespace {

using Kind = model::ReadyCheck::Kind;
using Clock = std::chrono::steady_clock;

struct Check {
  Kind kind = Kind::tcp;
  std::string target;  // expanded
  int port = 0;
  int status = 200;
  std::optional<util::Regex> regex;  // log
  std::string regex_error;           // log: the expanded pattern does not compile
  bool met = false;
  std::string last;  // the last observation, for the timeout message
  // A command check's run in progress (check_command).
  pid_t running = 0;             // announced in ctx.child_exits() while it runs
  Clock::time_point started{};
  bool killed = false;          // past kCommandTimeout: killed, waiting to be reaped
  std::size_t undecided = 0;    // log: lines the regex was too complex to decide
};

constexpr auto kCommandTimeout = std::chrono::seconds(2);

std::int64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string describe(const Check& c) {
  switch (c.kind) {
    case Kind::tcp: return "not listening on tcp port " + c.target;
    case Kind::udp: return "not bound to udp port " + c.target;
    case Kind::log:
      if (!c.regex_error.empty()) return "the pattern /" + c.target + "/ (its variables expanded) is not a valid regex: " + c.regex_error;
      return "no output line matched /" + c.target + "/" +
             (c.undecided ? " (" + std::to_string(c.undecided) + " line" + (c.undecided == 1 ? "" : "s") +
                                " could not be decided: the regex is too complex for them)"
                          : "");
    case Kind::file: return "file " + c.target + " does not exist";
    case Kind::http: return "GET " + c.target + " did not return " + std::to_string(c.status) + (c.last.empty() ? "" : " (last: " + c.last + ")");
    case Kind::command: return "command `" + c.target + "` did not succeed" + (c.last.empty() ? "" : " (last: " + c.last + ")");
  }
  return "?";
}

// All checks of one wait; fast ones (ports, file, log) are checked on a 1 ms timer and after
// every loop handler, slow ones (http, command) every 50 ms from the waiting loop.
class Waiter {
 public:
  Waiter(runtime::RunContext& ctx, const Supervisor& sup, const SubjectState& s, const model::Readiness& r)
      : ctx_(ctx), sup_(sup), s_(s), any_(r.any), timer_(ctx.io()), lines_seen_(0) {
    for (const auto& rc : r.checks) {
      Check c;
      c.kind = rc.kind;
      c.target = ctx.expand(rc.target);
      c.status = static_cast<int>(ctx.expand_integer(rc.status));
      if (c.kind == Kind::tcp || c.kind == Kind::udp)  // a ${...} port: expanded and checked as one
        c.port = static_cast<int>(ctx.expand_integer({0, rc.target, 1, 65535, std::string(c.kind == Kind::tcp ? "ready.tcp" : "ready.udp")}));
      if (c.kind == Kind::log) {
        c.regex = rc.regex;  // compiled at load, unless the pattern holds ${variables}
        if (!c.regex) c.regex = util::Regex::try_compile(c.target, &c.regex_error);
      }
      checks_.push_back(std::move(c));
    }
    try {
      probe_ = std::make_unique<probes::ListeningSocketProbe>();
    } catch (const std::exception&) {
      probe_.reset();  // fall back to /proc/net
    }
  }
  // A handler already queued when the timer is cancelled still runs with success, so it
  // checks `alive_` before touching the (then destroyed) waiter.
  ~Waiter() {
    *alive_ = false;
    timer_.cancel();
    for (auto& c : checks_)
      if (c.running) {  // a command still running when readiness is decided: not left behind
        ::kill(c.running, SIGKILL);
        ::waitpid(c.running, nullptr, 0);  // at once after SIGKILL (ECHILD if the supervisor reaped it)
        ctx_.child_exits().forget(c.running);
      }
  }

  bool done() const {
    if (checks_.empty()) return true;
    std::size_t met = 0;
    for (const auto& c : checks_) met += c.met;
    return any_ ? met > 0 : met == checks_.size();
  }
  bool has_slow() const {
    for (const auto& c : checks_)
      if (!c.met && (c.kind == Kind::http || c.kind == Kind::command)) return true;
    return false;
  }
  // A command check's run in progress: its exit is polled every millisecond, not every 50.
  bool command_running() const {
    for (const auto& c : checks_)
      if (c.running) return true;
    return false;
  }
  void poll_commands() {
    for (auto& c : checks_)
      if (c.running) check_command(c);
  }
  bool missing_kind(Kind kind) const {
    for (const auto& c : checks_)
      if (!c.met && c.kind == kind) return true;
    return false;
  }
  std::string missing() const {
    std::string out;
    for (const auto& c : checks_)
      if (!c.met) out += (out.empty() ? "" : any_ ? " and " : "; ") + describe(c);
    return out;
  }

  void check_lines() {
    std::uint64_t fresh = std::min<std::uint64_t>(s_.lines - lines_seen_, s_.last_lines.size());
    lines_seen_ = s_.lines;
    for (auto it = s_.last_lines.end() - static_cast<long>(fresh); it != s_.last_lines.end(); ++it)
      for (auto& c : checks_)
        if (!c.met && c.kind == Kind::log && c.regex) {
          auto verdict = c.regex->search(*it);
          if (verdict == util::RegexMatch::yes) met(c, {{"regex", c.target}, {"line", *it}});
          else if (verdict == util::RegexMatch::too_complex) ++c.undecided;
        }
  }

  void check_fast() {
    check_lines();
    bool tcp = false, udp = false;
    for (auto& c : checks_) {
      if (c.met) continue;
      if (c.kind == Kind::tcp) tcp = true;
      if (c.kind == Kind::udp) udp = true;
      if (c.kind == Kind::file) check_file(c);
    }
    if (tcp) check_ports(probes::Proto::tcp);
    if (udp) check_ports(probes::Proto::udp);
  }

  void check_slow() {
    for (auto& c : checks_) {
      if (c.met) continue;
      if (c.kind == Kind::http) check_http(c);
      if (c.kind == Kind::command) check_command(c);
    }
  }

  void arm() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
      if (ec || !*alive) return;
      check_fast();
      if (!done()) arm();
    });
  }

 private:
  void met(Check& c, nlohmann::json detail) {
    c.met = true;
    detail["kind"] = c.kind == Kind::tcp ? "tcp" : c.kind == Kind::udp ? "udp" : c.kind == Kind::log ? "log"
                     : c.kind == Kind::file ? "file" : c.kind == Kind::http ? "http" : "command";
    ctx_.journal().append({"subject", s_.name, s_.pid}, journal::ev::subject_ready_check, std::move(detail));
  }

  void check_file(Check& c) {
    std::filesystem::path p = c.target;
    if (p.is_relative()) p = ctx_.sandbox_dir() / p;
    struct stat st{};
    if (::stat(p.c_str(), &st) == 0) met(c, {{"path", p.string()}});
  }

  void check_ports(probes::Proto proto) {
    if (probe_) probe_->dump(proto, sockets_);
    else sockets_ = probes::read_proc_net(proto);
    Kind kind = proto == probes::Proto::tcp ? Kind::tcp : Kind::udp;
    for (const auto& sock : sockets_)
      for (auto& c : checks_) {
        if (c.met || c.kind != kind || c.port != sock.port || !owned(sock)) continue;
        c.met = true;
        ctx_.journal().append({"subject", s_.name, s_.pid}, journal::ev::socket_listen,
                              {{"proto", kind == Kind::tcp ? "tcp" : "udp"}, {"address", sock.address}, {"port", sock.port}});
      }
  }

  // Held by a process of this subject's tree: in a scenario's network namespace another
  // subject's socket on the same port is visible too, and is not this subject's readiness.
  bool owned(const probes::ListeningSocket& sock) {
    for (pid_t pid : sup_.tree_of(s_.name))
      if (probes::socket_inodes_of_pid(pid).count(sock.inode)) return true;
    return false;
  }

  void check_http(Check& c) {
    probes::HttpCall call;
    call.url = c.target;
    call.timeout = std::chrono::milliseconds(200);
    auto reply = probes::perform_http(ctx_, call);
    c.last = reply.ok ? "status " + std::to_string(reply.status) : reply.error;
    if (reply.ok && reply.status == c.status) met(c, {{"url", c.target}, {"status", reply.status}});
  }

  void check_command(Check& c);
  void start_command(Check& c);

  runtime::RunContext& ctx_;
  const Supervisor& sup_;
  const SubjectState& s_;
  bool any_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::uint64_t lines_seen_;
  std::vector<Check> checks_;
  std::unique_ptr<probes::ListeningSocketProbe> probe_;
  std::vector<probes::ListeningSocket> sockets_;
};

// The command runs beside the loop, which keeps serving fakes and reading output: one slow
// check starts it, the next ones read its exit (exit_of: not reaped yet, or reaped by the
// supervisor and kept in ctx.child_exits()), and one past kCommandTimeout kills it. Its stdin, stdout and
// stderr are /dev/null; its cwd is the sandbox.
void Waiter::check_command(Check& c) {
  if (!c.running) return start_command(c);
  auto status = exit_of(ctx_, c.running);
  if (!status) {
    if (!c.killed && Clock::now() - c.started > kCommandTimeout) {
      ::kill(c.running, SIGKILL);
      c.killed = true;
      c.last = "timed out after 2s";
    }
    return;
  }
  siginfo_t info{};
  ::waitid(P_PID, static_cast<id_t>(c.running), &info, WEXITED | WNOHANG);  // unless the supervisor did
  ctx_.child_exits().forget(c.running);
  c.running = 0;
  if (std::exchange(c.killed, false)) return;
  bool ok = status->kind == ExitStatus::Kind::exited && status->code == 0;
  c.last = status->kind == ExitStatus::Kind::exited ? "exit code " + std::to_string(status->code) : status->describe();
  if (ok) met(c, {{"command", c.target}});
}

void Waiter::start_command(Check& c) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(ctx_.sandbox_dir().c_str()) != 0) ::_exit(126);
    util::restore_fd_limit();
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0)
      for (int fd : {0, 1, 2}) ::dup2(null, fd);
    ::execl("/bin/sh", "sh", "-c", c.target.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (pid < 0) {
    c.last = std::string("cannot fork: ") + std::strerror(errno);
    return;
  }
  ctx_.child_exits().expect(pid);  // before the loop runs again: its reaper may take the exit
  c.running = pid;
  c.started = Clock::now();
}

}  // namespace

ReadinessOutcome wait_until_ready(runtime::RunContext& ctx, const Supervisor& supervisor,
                                  const model::Subject& subject) {
  const SubjectState* state = supervisor.state(subject.name);
  if (!state) return {false, "subject '" + subject.name + "' was not started"};
  auto begun = Clock::now();
  auto deadline = begun + subject.ready.within;
  std::int64_t cpu_begun = thread_cpu_ns();
  Waiter waiter(ctx, supervisor, *state, subject.ready);
  waiter.check_fast();
  if (!waiter.done()) waiter.arm();
  auto finished = [&] {
    waiter.check_lines();
    return waiter.done() || state->exit.has_value();
  };
  auto next_slow = Clock::now();
  while (!finished() && !ctx.cut_short() && Clock::now() < deadline) {
    if (waiter.command_running()) waiter.poll_commands();
    if (waiter.has_slow() && Clock::now() >= next_slow) {
      waiter.check_slow();
      next_slow = Clock::now() + std::chrono::milliseconds(50);
      continue;
    }
    auto wake = waiter.has_slow() ? std::min(deadline, next_slow) : deadline;
    if (waiter.command_running()) wake = std::min(wake, Clock::now() + std::chrono::milliseconds(1));
    ctx.run_until(finished, wake);
  }
  if (state->exit) {  // its last words belong in the message: read the pipes to the end (bounded)
    ctx.run_until([&] { return state->open_streams == 0; }, Clock::now() + std::chrono::milliseconds(300));
    return {false, "subject '" + subject.name + "' " + state->exit->describe() + " before it was ready"};
  }
  if (!waiter.done()) {
    if (ctx.cut_short()) return {false, ctx.cut_reason(), true};
    ReadinessOutcome out{false, "subject '" + subject.name + "' not ready within " +
                                    util::format_duration(subject.ready.within) + ": " + waiter.missing()};
    if (waiter.missing_kind(Kind::tcp) || waiter.missing_kind(Kind::udp))
      out.reason += listening_evidence(supervisor, subject.name);
    out.awaited_output = waiter.missing_kind(Kind::log);
    return out;
  }
  // realtime_ns: when readiness was seen (benchmarks compare it with the subject's own
  // clock); cpu_ns: the runner's CPU spent while waiting (polling cost).
  ctx.journal().append({"subject", subject.name, state->pid}, journal::ev::subject_ready,
                       {{"realtime_ns", util::realtime_ns()},
                        {"waited_ns", std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - begun).count()},
                        {"cpu_ns", thread_cpu_ns() - cpu_begun}});
  return {true, {}};
}

}  // namespace bbx::process
