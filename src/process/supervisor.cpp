#include "process/supervisor.hpp"

#include <fcntl.h>
#include <pty.h>
#include <termios.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <set>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "process/log_tailer.hpp"
#include "process/output_reader.hpp"
#include "probes/open_files.hpp"
#include "probes/proc_table.hpp"
#include "process/shim_channel.hpp"
#include "process/spawn.hpp"
#include "process/subject_cgroup.hpp"
#include "process/subject_command.hpp"
#include "util/signals.hpp"
#include "util/units.hpp"

namespace bbx::process {

namespace {
constexpr std::size_t kLastLines = 20;
using Clock = std::chrono::steady_clock;

// A pseudo-terminal as a pipe would be: fds[0] the master (read), fds[1] the slave (the
// subject's stream). Raw mode: the line discipline adds no \r and echoes nothing, so the
// bytes read are the bytes written. Both close-on-exec (the spawn dups the slave to 1 or 2).
bool open_terminal(int fds[2]) {
  termios raw{};
  ::cfmakeraw(&raw);
  if (::openpty(&fds[0], &fds[1], nullptr, &raw, nullptr) != 0) return false;
  ::fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  ::fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  return true;
}

std::vector<pid_t> live_descendants(pid_t root) {
  auto table = probes::read_proc_table();
  std::vector<pid_t> out;
  for (pid_t d : probes::descendants_of(root, table)) {
    auto it = std::find_if(table.begin(), table.end(), [d](const probes::ProcStat& p) { return p.pid == d; });
    if (it != table.end() && it->state != 'Z') out.push_back(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}
}  // namespace

struct Supervisor::Impl {
  explicit Impl(runtime::RunContext& ctx) : cgroups(), ctx(ctx), sigchld(ctx.io(), SIGCHLD) { wait_for_sigchld(); }

  void wait_for_sigchld() {
    sigchld.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      reap();
      wait_for_sigchld();
    });
  }

  // Reaps the runner's own children: shims, commands (their exits kept for their starters:
  // runtime/child_exits.hpp), and (namespace PID 1 / subreaper) orphans of a shim that was
  // killed. Subject processes are reaped by their shim and reported.
  void reap() {
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG) != 0) {
        if (errno == EINTR) continue;
        return;  // ECHILD: nothing left
      }
      if (info.si_pid == 0) return;
      if (is_shim(info.si_pid)) continue;
      if (ctx.child_exits().keep(info)) continue;  // a command its starter waits for
      SubjectState* owner = owner_of(info.si_pid);
      if (owner) record_exit(*owner, info.si_pid, ExitStatus::from_siginfo(info));
      else journal_exit("unknown", info.si_pid, ExitStatus::from_siginfo(info), false);
    }
  }

  bool is_shim(pid_t pid) const {
    return std::any_of(subjects.begin(), subjects.end(), [pid](const auto& s) { return s->shim == pid; });
  }

  std::uint64_t journal_exit(const std::string& name, pid_t pid, const ExitStatus& status, bool main) {
    nlohmann::json body = status.to_json();
    body["main"] = main;
    body["describe"] = status.describe();
    return ctx.journal().append({"subject", name, pid}, journal::ev::process_exit, std::move(body));
  }

  // tree_left: the shim says processes of the tree remain (exact); the scan then names them.
  void record_exit(SubjectState& s, pid_t pid, const ExitStatus& status, bool tree_left = false) {
    bool main = s.pid == pid && !s.exit;
    // What it wrote to its log files is there now: journaled before its exit, not up to a
    // poll period after it (a `sequence` of a last log line then the exit read them swapped).
    if (auto t = tailers.find(&s); t != tailers.end()) t->second->poll();
    auto seq = journal_exit(s.name, pid, status, main);
    if (!main) return;
    if (!exit_expected(s) && status.kind == ExitStatus::Kind::exited && status.code == 0) {
      for (int attempt = 0; attempt < (tree_left ? 50 : 1); ++attempt) {  // a process mid-exit may hide its heir
        if (attempt > 0) ::usleep(1000);
        auto rest = live_descendants(s.shim);
        rest.erase(std::remove(rest.begin(), rest.end(), pid), rest.end());
        if (!rest.empty()) return daemonized(s, pid, rest.front());
      }
    }
    s.exit = status;
    s.exit_seq = seq;
    if (!exit_expected(s)) report_unexpected_exit(s);
  }

  static bool exit_expected(const SubjectState& s) { return s.stopping || s.run_once || s.exit_expected; }

  // An unexpected exit is reported once the subject's output is read to the end, or after
  // kDrain if a descendant keeps the pipes open: the lines printed just before dying are
  // the evidence the failure message quotes (the exit report may be read before them).
  void report_unexpected_exit(SubjectState& s) {
    constexpr auto kDrain = std::chrono::milliseconds(200);
    s.exit_unreported = true;
    if (s.open_streams == 0) return unexpected_exit_drained(s);
    auto timer = std::make_shared<boost::asio::steady_timer>(ctx.io(), kDrain);
    timer->async_wait([this, &s, timer, alive = std::weak_ptr<bool>(alive)](boost::system::error_code ec) {
      if (!ec && !alive.expired()) unexpected_exit_drained(s);
    });
  }
  void unexpected_exit_drained(SubjectState& s) {
    if (!s.exit_unreported) return;
    s.exit_unreported = false;
    ++unexpected_reported;
    if (on_unexpected_exit) on_unexpected_exit(s);
  }

  void daemonized(SubjectState& s, pid_t from, pid_t to) {
    s.pid = to;
    owners[to] = &s;
    ctx.set_value("subjects." + s.name + ".pid", std::to_string(to));
    ctx.journal().append({"subject", s.name, to}, journal::ev::subject_daemonized, {{"from", from}, {"pid", to}});
  }

  // The shim started the command: recorded before any later report of the same read.
  void launched(SubjectState& s, pid_t pid, nlohmann::json spawn) {
    s.pid = s.launched = pid;
    owners[pid] = &s;
    ctx.set_value("subjects." + s.name + ".pid", std::to_string(pid));
    ctx.journal().append({"subject", s.name, pid}, journal::ev::process_spawn, std::move(spawn));
  }

  void on_report(SubjectState& s, const ShimReport& r, const nlohmann::json& spawn) {
    if (r.kind == 'S') {
      launched(s, r.pid, spawn);
    } else if (r.kind == 'X') {
      remember_line(s, "bbx: cannot execute the command: " + std::string(std::strerror(r.error)));
    } else if (r.kind == 'E') {
      s.reaped_ctx_voluntary += r.ctx_voluntary;
      s.reaped_ctx_involuntary += r.ctx_involuntary;
      s.reaped_cpu_user_us += r.cpu_user_us;
      s.reaped_cpu_system_us += r.cpu_system_us;
      s.reaped_max_rss_bytes = std::max(s.reaped_max_rss_bytes, r.max_rss_bytes);
      owners.emplace(r.pid, &s);
      record_exit(s, r.pid, ExitStatus::from_siginfo(r.info), r.tree_left);
    }
  }

  SubjectState* owner_of(pid_t pid) {
    auto it = owners.find(pid);
    return it != owners.end() ? it->second : nullptr;
  }

  void remember_line(SubjectState& s, const std::string& line) {
    ++s.lines;
    s.last_lines.push_back(line);
    if (s.last_lines.size() > kLastLines) s.last_lines.pop_front();
  }

  void start_reader(SubjectState& s, int fd, const std::string& stream) {  // open_streams counts it already
    OutputSink sink;
    sink.source = {"subject", s.name, s.launched};
    sink.stream = stream;
    sink.raw_copy = ctx.scenario_dir() / "logs" / (s.name + "." + stream + ".log");
    if (echo_output) sink.echo_fd = stream == "stdout" ? STDOUT_FILENO : STDERR_FILENO;
    sink.on_line = [this, &s](const std::string& line) { remember_line(s, line); };
    sink.on_eof = [this, &s] {
      if (--s.open_streams == 0) unexpected_exit_drained(s);
    };
    start_output_reader(ctx, fd, std::move(sink));
  }

  // Signals every live process of the subject's tree not in `done` (all when null), and
  // adds them to it; returns how many live processes the tree had.
  std::size_t kill_tree(SubjectState& s, int signal, std::set<pid_t>* done = nullptr) {
    if (s.tree_gone || !s.shim) return 0;
    auto tree = live_descendants(s.shim);
    for (pid_t pid : tree) {
      owners.emplace(pid, &s);
      if (done && !done->insert(pid).second) continue;
      ::kill(pid, signal);
    }
    return tree.size();
  }

  // The stop signal to the tree, and to processes forked into it during the grace period
  // (a fork racing the first signal), each once; in mode mixed to the main process only,
  // and SIGKILL to what is left of the tree once the main process is gone. True when the
  // tree exited in time.
  bool stop_within(SubjectState& s, const model::StopPolicy& stop, Clock::time_point deadline) {
    bool mixed = stop.mode == model::StopPolicy::Mode::mixed;
    std::set<pid_t> signaled;
    if (!mixed) kill_tree(s, stop.signal, &signaled);
    else if (!s.exit) ::kill(s.pid, stop.signal);  // (an exited main process's pid may be reused)
    while (!ctx.run_until([&] { return s.tree_gone || (mixed && s.exit); },
                          std::min(deadline, Clock::now() + std::chrono::milliseconds(20)))) {
      if (Clock::now() >= deadline || ctx.cut_short()) return s.tree_gone;
      if (!mixed) kill_tree(s, stop.signal, &signaled);
    }
    if (s.tree_gone) return true;
    // mixed: the main process exited; nothing may outlive it.
    if (live_descendants(s.shim).empty()) {  // its tree ended with it: only the shim's report is due
      ctx.run_until([&] { return s.tree_gone; }, deadline);
      return true;
    }
    ctx.journal().append({"subject", s.name, s.pid}, journal::ev::process_signal,
                         {{"signal", "SIGKILL"}, {"to", "tree"}, {"reason", "main process exited (stop mode mixed)"}});
    kill_tree_hard(s, std::chrono::seconds(5));
    return true;
  }

  // The main process ended on its own (probes::process_ending): wait for the shim's report of
  // it, and for its unexpected-exit report (output drained), until `deadline`. True when the
  // subject's exit was recorded as unexpected. A daemonizing launcher's exit moves the main
  // process on instead; that is no exit.
  bool await_own_exit(SubjectState& s, Clock::time_point deadline) {
    if (exit_expected(s) || s.pid <= 0) return false;
    ctx.poll();  // reports already in the pipe
    // An exit recorded but not reported yet (its output still draining), or a main process
    // that is gone, a zombie or exiting: its report is coming.
    bool pending = s.exit ? s.exit_unreported : probes::process_ending(s.pid);
    if (!pending) return false;
    pid_t main = s.pid;
    runtime::RunContext::HaltShield shield(ctx);  // the report is wanted even in a halted run
    ctx.run_until([&] { return (s.exit && !s.exit_unreported) || s.pid != main || (s.tree_gone && !s.exit); }, deadline);
    return s.exit.has_value();
  }

  // SIGKILLs the tree until it is empty (new forks may race the first round), bounded.
  void kill_tree_hard(SubjectState& s, std::chrono::milliseconds limit) {
    auto end = Clock::now() + limit;
    while (kill_tree(s, SIGKILL) > 0 && Clock::now() < end)
      ctx.run_until([&] { return s.tree_gone; }, std::min(end, Clock::now() + std::chrono::milliseconds(50)));
  }

  // Declared first, destroyed last: its cgroups are removed once every tree is gone.
  SubjectCgroups cgroups;
  runtime::RunContext& ctx;
  boost::asio::signal_set sigchld;
  std::vector<std::unique_ptr<SubjectState>> subjects;  // start order; restarts append
  std::map<pid_t, SubjectState*> owners;
  std::map<const SubjectState*, std::unique_ptr<LogTailer>> tailers;  // subjects with `logs:`
  std::function<void(const SubjectState&)> on_unexpected_exit;
  std::size_t unexpected_reported = 0;  // unexpected exits reported so far
  bool echo_output = false;
  std::function<void(const SubjectState&, const std::string&)> on_stop_overdue;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // expires with the supervisor: read by timers
};

Supervisor::Supervisor(runtime::RunContext& ctx) : impl_(std::make_unique<Impl>(ctx)) {
  std::filesystem::create_directories(ctx.scenario_dir() / "logs");
}

Supervisor::~Supervisor() { kill_everything(); }

pid_t Supervisor::start(const model::Subject& subject) {
  auto& ctx = impl_->ctx;
  runtime::RunContext::HaltShield shield(ctx);  // a failed run still starts and stops subjects fully
  PreparedCommand cmd = prepare_command(ctx, subject);  // throws runtime_error with the reason
  int out[2], err[2], rep[2];
  bool made = subject.tty ? open_terminal(out) && open_terminal(err) : ::pipe2(out, O_CLOEXEC) == 0 && ::pipe2(err, O_CLOEXEC) == 0;
  if (!made || ::pipe2(rep, O_CLOEXEC) != 0)
    fail_harness(std::string(subject.tty ? "cannot open a pseudo-terminal: " : "cannot create pipes: ") + std::strerror(errno));
  cmd.request.stdout_fd = out[1];
  cmd.request.stderr_fd = err[1];
  cmd.request.report_fd = rep[1];
  // Sampled subjects get their own cgroup, joined by the shim before the command starts.
  std::optional<std::filesystem::path> cgroup;
  if (subject.sample.count() > 0) cgroup = impl_->cgroups.make(subject.name);
  if (cgroup) {
    auto dashes = std::find(cmd.request.args.begin(), cmd.request.args.end(), std::string("--"));
    cmd.request.args.insert(dashes, {"--cgroup", cgroup->string()});
  }
  pid_t shim = 0;
  try {
    shim = spawn_process(cmd.request);
  } catch (const std::exception& e) {
    for (int fd : {out[0], out[1], err[0], err[1], rep[0], rep[1]}) ::close(fd);
    if (cmd.request.stdin_fd >= 0) ::close(cmd.request.stdin_fd);
    fail_scenario("cannot start subject '" + subject.name + "': " + e.what());
  }
  for (int fd : {out[1], err[1], rep[1]}) ::close(fd);
  if (cmd.request.stdin_fd >= 0) ::close(cmd.request.stdin_fd);
  auto state = std::make_unique<SubjectState>();
  state->name = subject.name;
  state->shim = shim;
  if (cgroup) state->cgroup = cgroup->string();
  state->run_once = subject.run_once;
  state->tty = subject.tty;
  auto& s = *state;
  impl_->subjects.push_back(std::move(state));
  nlohmann::json spawn = {{"argv", cmd.argv},
                          {"executable", cmd.executable},
                          {"cwd", ctx.sandbox_dir().string()},
                          {"supervisor_pid", shim}};
  read_shim_reports(
      ctx, rep[0], [this, &s, spawn](const ShimReport& r) { impl_->on_report(s, r, spawn); },
      [&s] {
        s.tree_gone = true;
        s.ended_unasked = !s.stopping;
      });
  ctx.run_until([&] { return s.launched != 0 || s.tree_gone; }, Clock::now() + std::chrono::seconds(10));
  if (s.launched == 0)
    fail_scenario("cannot start subject '" + subject.name + "': the supervisor shim failed");
  impl_->start_reader(s, out[0], "stdout");
  impl_->start_reader(s, err[0], "stderr");
  if (!subject.logs.empty()) {
    std::vector<std::string> patterns;
    for (const auto& l : subject.logs) patterns.push_back(ctx.expand(l));
    impl_->tailers[&s] = std::make_unique<LogTailer>(ctx, EventSource{"subject", s.name, s.launched}, patterns);
  }
  return s.launched;
}

void Supervisor::set_on_unexpected_exit(std::function<void(const SubjectState&)> callback) {
  impl_->on_unexpected_exit = std::move(callback);
}

void Supervisor::set_on_stop_overdue(std::function<void(const SubjectState&, const std::string&)> callback) {
  impl_->on_stop_overdue = std::move(callback);
}

const SubjectState* Supervisor::state(const std::string& name) const {
  // The newest start wins: a restarted subject has one state per start.
  for (auto it = impl_->subjects.rbegin(); it != impl_->subjects.rend(); ++it)
    if ((*it)->name == name) return it->get();
  return nullptr;
}

std::vector<pid_t> Supervisor::tree_of(const std::string& name) const {
  const auto* s = state(name);
  if (!s || s->tree_gone || !s->shim) return {};
  return live_descendants(s->shim);
}

void Supervisor::note_written_files(const std::string& name) {
  for (auto it = impl_->subjects.rbegin(); it != impl_->subjects.rend(); ++it)
    if ((*it)->name == name) {
      (*it)->written_files = probes::files_open_for_writing(tree_of(name));
      return;
    }
}

bool Supervisor::running(const std::string& name) const {
  const auto* s = state(name);
  return s && !s->exit;
}

void Supervisor::send_signal(const std::string& name, int signal, model::SignalStep::To to) {
  auto* s = const_cast<SubjectState*>(state(name));
  if (!s || s->exit) return;
  using To = model::SignalStep::To;
  static const char* names[] = {"group", "main", "tree"};
  impl_->ctx.journal().append({"subject", name, s->pid}, journal::ev::process_signal,
                              {{"signal", util::signal_name(signal)}, {"to", names[static_cast<int>(to)]}});
  switch (to) {
    case To::group:
      if (::kill(-s->pid, signal) != 0) ::kill(s->pid, signal);
      break;
    case To::main: ::kill(s->pid, signal); break;
    case To::tree: impl_->kill_tree(*s, signal); break;
  }
}

void Supervisor::set_echo_output(bool on) { impl_->echo_output = on; }

void Supervisor::expect_exit(const std::string& name) {
  if (auto* s = const_cast<SubjectState*>(state(name))) s->exit_expected = true;
}

void Supervisor::stop(const model::Subject& subject) {
  auto& ctx = impl_->ctx;
  runtime::RunContext::HaltShield shield(ctx);  // a failed run still starts and stops subjects fully
  for (auto& sp : impl_->subjects) {
    auto& s = *sp;
    if (s.name != subject.name || s.stopping) continue;
    if (s.run_once)  // give it the grace period to finish on its own
      ctx.run_until([&] { return s.tree_gone; }, Clock::now() + subject.stop.grace);
    impl_->await_own_exit(s, Clock::now() + std::chrono::seconds(1));  // it died before the stop: a crash
    s.stopping = true;
    if (!s.tree_gone) {
      bool mixed = subject.stop.mode == model::StopPolicy::Mode::mixed;
      ctx.journal().append({"subject", s.name, s.pid}, journal::ev::process_signal,
                           {{"signal", util::signal_name(subject.stop.signal)}, {"to", mixed ? "main" : "tree"}, {"reason", "stop"}});
      auto deadline = Clock::now() + subject.stop.grace;
      if (!impl_->stop_within(s, subject.stop, deadline)) {
        if (Clock::now() < deadline && ctx.cut_short()) {  // an interrupt does not wait out the grace
          ctx.journal().append({"subject", s.name, s.pid}, journal::ev::process_signal,
                               {{"signal", "SIGKILL"}, {"to", "tree"}, {"reason", ctx.cut_reason()}});
        } else {
          if (impl_->on_stop_overdue)
            impl_->on_stop_overdue(s, "stop grace of " + util::format_duration(subject.stop.grace) + " expired after " +
                                          util::signal_name(subject.stop.signal));
          ctx.journal().append({"subject", s.name, s.pid}, journal::ev::process_signal,
                               {{"signal", "SIGKILL"}, {"to", "tree"}, {"reason", "grace period of stop expired"},
                                {"grace", util::format_duration(subject.stop.grace)}});
        }
        impl_->kill_tree_hard(s, std::chrono::seconds(5));
      }
    }
    // Let the pipes drain: output written just before exit is still evidence.
    ctx.run_until([&] { return s.open_streams == 0; }, Clock::now() + std::chrono::milliseconds(500));
    if (auto t = impl_->tailers.find(&s); t != impl_->tailers.end()) t->second->finish();
  }
}

bool Supervisor::settle_exits(std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  auto before = impl_->unexpected_reported;
  for (std::size_t i = 0; i < impl_->subjects.size(); ++i) impl_->await_own_exit(*impl_->subjects[i], deadline);
  return impl_->unexpected_reported != before;
}

void Supervisor::stop_all() {
  auto& subjects = impl_->ctx.scenario().subjects;
  for (auto it = subjects.rbegin(); it != subjects.rend(); ++it) stop(*it);
}

void Supervisor::kill_everything() {
  auto& ctx = impl_->ctx;
  runtime::RunContext::HaltShield shield(ctx);  // a failed run still waits for what it killed
  for (auto& [state, tailer] : impl_->tailers) tailer->finish();
  for (auto& s : impl_->subjects) {
    s->stopping = true;
    impl_->kill_tree_hard(*s, std::chrono::seconds(2));
  }
  auto table = probes::read_proc_table();
  pid_t self = ::getpid();
  std::vector<pid_t> victims = ctx.namespaced() ? std::vector<pid_t>{} : probes::descendants_of(self, table);
  if (ctx.namespaced())
    for (const auto& p : table)
      if (p.pid != self && p.pid != 1) victims.push_back(p.pid);
  for (pid_t pid : victims) ::kill(pid, SIGKILL);
  // Reap what we killed, so exits are journaled and nothing is left a zombie.
  auto deadline = Clock::now() + std::chrono::seconds(2);
  while (Clock::now() < deadline) {
    impl_->reap();
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD) break;
    ::usleep(1000);
  }
  impl_->reap();
}

}  // namespace bbx::process
