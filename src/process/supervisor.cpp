#include "process/supervisor.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "process/output_reader.hpp"
#include "process/proc_tree.hpp"
#include "process/spawn.hpp"
#include "util/signals.hpp"

namespace bbx::process {

namespace {
constexpr std::size_t kLastLines = 20;
}

struct Supervisor::Impl {
  explicit Impl(runner::RunContext& ctx) : ctx(ctx), sigchld(ctx.io(), SIGCHLD) { wait_for_sigchld(); }

  void wait_for_sigchld() {
    sigchld.async_wait([this](boost::system::error_code ec, int) {
      if (ec) return;
      reap();
      wait_for_sigchld();
    });
  }

  // Reaps every exited child (subjects, and orphans re-parented to us as subreaper).
  void reap() {
    for (;;) {
      siginfo_t info{};
      if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG) != 0) {
        if (errno == EINTR) continue;
        return;  // ECHILD: nothing left
      }
      if (info.si_pid == 0) return;
      record_exit(info.si_pid, ExitStatus::from_siginfo(info));
    }
  }

  void record_exit(pid_t pid, const ExitStatus& status) {
    SubjectState* subject = owner_of(pid);
    bool main = subject && subject->pid == pid;
    nlohmann::json body = status.to_json();
    body["main"] = main;
    body["describe"] = status.describe();
    EventSource source{"subject", subject ? subject->name : "unknown", pid};
    auto seq = ctx.journal().append(source, "process.exit", std::move(body));
    if (!main) return;
    subject->exit = status;
    subject->exit_seq = seq;
    if (!subject->stopping && on_unexpected_exit) on_unexpected_exit(*subject);
  }

  SubjectState* owner_of(pid_t pid) {
    auto it = owners.find(pid);
    if (it != owners.end()) return it->second;
    return nullptr;
  }

  // Records the current descendants of each subject so later exits can be attributed.
  void learn_descendants() {
    auto table = scan_processes();
    for (auto& s : subjects)
      if (!s->exit)
        for (pid_t d : descendants_of(s->pid, table)) owners.emplace(d, s.get());
  }

  void remember_line(SubjectState& s, const std::string& line) {
    s.last_lines.push_back(line);
    if (s.last_lines.size() > kLastLines) s.last_lines.pop_front();
  }

  void start_reader(SubjectState& s, int fd, const std::string& stream) {
    ++s.open_streams;
    OutputSink sink;
    sink.source = {"subject", s.name, s.pid};
    sink.stream = stream;
    sink.raw_copy = ctx.scenario_dir() / "logs" / (s.name + "." + stream + ".log");
    sink.on_line = [this, &s](const std::string& line) { remember_line(s, line); };
    sink.on_eof = [&s] { --s.open_streams; };
    start_output_reader(ctx, fd, std::move(sink));
  }

  void kill_tree(SubjectState& s, int signal) {
    if (s.exit) return;
    ::kill(-s.pid, signal);
    ::kill(s.pid, signal);
  }

  runner::RunContext& ctx;
  boost::asio::signal_set sigchld;
  std::vector<std::unique_ptr<SubjectState>> subjects;  // start order
  std::map<pid_t, SubjectState*> owners;
  std::function<void(const SubjectState&)> on_unexpected_exit;
};

Supervisor::Supervisor(runner::RunContext& ctx) : impl_(std::make_unique<Impl>(ctx)) {
  std::filesystem::create_directories(ctx.scenario_dir() / "logs");
}

Supervisor::~Supervisor() { kill_everything(); }

pid_t Supervisor::start(const model::Subject& subject) {
  auto& ctx = impl_->ctx;
  std::vector<std::string> argv;
  for (const auto& arg : subject.command) argv.push_back(ctx.expand(arg));
  auto exe = resolve_executable(argv[0], ctx.scenario().file.parent_path());
  if (exe.empty())
    throw std::runtime_error("cannot start subject '" + subject.name + "': '" + argv[0] +
                             "' not found (looked beside bbx, then on PATH)");
  SpawnRequest req{exe, {argv.begin() + 1, argv.end()}, ctx.sandbox_dir(), {}, -1, -1};
  const char* path = std::getenv("PATH");
  req.env = {{"PATH", path ? path : "/usr/bin:/bin"}, {"HOME", ctx.sandbox_dir().string()},
             {"LANG", "C.UTF-8"}, {"TZ", "UTC"}};
  for (const auto& [k, v] : subject.env) req.env[k] = ctx.expand(v);
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0)
    throw std::runtime_error(std::string("cannot create pipes: ") + std::strerror(errno));
  req.stdout_fd = out[1];
  req.stderr_fd = err[1];
  pid_t pid = 0;
  try {
    pid = spawn_process(ctx.io(), req);
  } catch (const std::exception& e) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    throw std::runtime_error("cannot start subject '" + subject.name + "': " + e.what());
  }
  ::close(out[1]);
  ::close(err[1]);
  ::setpgid(pid, pid);  // also done in the child; whichever runs first wins the race
  auto state = std::make_unique<SubjectState>();
  state->name = subject.name;
  state->pid = pid;
  impl_->owners[pid] = state.get();
  auto& s = *state;
  impl_->subjects.push_back(std::move(state));
  ctx.set_value("subjects." + subject.name + ".pid", std::to_string(pid));
  ctx.journal().append({"subject", subject.name, pid}, "process.spawn",
                       {{"argv", argv}, {"executable", exe.string()}, {"cwd", ctx.sandbox_dir().string()}});
  impl_->start_reader(s, out[0], "stdout");
  impl_->start_reader(s, err[0], "stderr");
  return pid;
}

void Supervisor::set_on_unexpected_exit(std::function<void(const SubjectState&)> callback) {
  impl_->on_unexpected_exit = std::move(callback);
}

const SubjectState* Supervisor::state(const std::string& name) const {
  // The newest start wins: a restarted subject has one state per start.
  for (auto it = impl_->subjects.rbegin(); it != impl_->subjects.rend(); ++it)
    if ((*it)->name == name) return it->get();
  return nullptr;
}

bool Supervisor::running(const std::string& name) const {
  const auto* s = state(name);
  return s && !s->exit;
}

void Supervisor::send_signal(const std::string& name, int signal) {
  for (auto& s : impl_->subjects) {
    if (s->name != name || s->exit) continue;
    impl_->ctx.journal().append({"subject", name, s->pid}, "process.signal",
                                {{"signal", util::signal_name(signal)}});
    ::kill(-s->pid, signal);
  }
}

void Supervisor::stop(const model::Subject& subject) {
  auto& ctx = impl_->ctx;
  for (auto& sp : impl_->subjects) {
    auto& s = *sp;
    if (s.name != subject.name) continue;
    s.stopping = true;
    if (!s.exit) {
      impl_->learn_descendants();
      ctx.journal().append({"subject", s.name, s.pid}, "process.signal",
                           {{"signal", util::signal_name(subject.stop.signal)}, {"reason", "stop"}});
      impl_->kill_tree(s, subject.stop.signal);
      auto now = std::chrono::steady_clock::now();
      if (!ctx.run_until([&] { return s.exit.has_value(); }, now + subject.stop.grace)) {
        ctx.journal().append({"subject", s.name, s.pid}, "process.signal",
                             {{"signal", "SIGKILL"}, {"reason", "grace period of stop expired"}});
        impl_->kill_tree(s, SIGKILL);
        ctx.run_until([&] { return s.exit.has_value(); }, std::chrono::steady_clock::now() + std::chrono::seconds(5));
      }
    }
    // Let the pipes drain: output written just before exit is still evidence.
    ctx.run_until([&] { return s.open_streams == 0; }, std::chrono::steady_clock::now() + std::chrono::milliseconds(500));
  }
}

void Supervisor::stop_all() {
  auto& subjects = impl_->ctx.scenario().subjects;
  for (auto it = subjects.rbegin(); it != subjects.rend(); ++it) stop(*it);
}

void Supervisor::kill_everything() {
  auto& ctx = impl_->ctx;
  auto table = scan_processes();
  pid_t self = ::getpid();
  std::vector<pid_t> victims = ctx.namespaced() ? std::vector<pid_t>{} : descendants_of(self, table);
  if (ctx.namespaced())
    for (const auto& p : table)
      if (p.pid != self && p.pid != 1) victims.push_back(p.pid);
  for (auto& s : impl_->subjects)
    if (!s->exit) ::kill(-s->pid, SIGKILL);
  for (pid_t pid : victims) ::kill(pid, SIGKILL);
  // Reap what we killed, so exits are journaled and nothing is left a zombie.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (std::chrono::steady_clock::now() < deadline) {
    impl_->reap();
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno == ECHILD) break;
    ::usleep(1000);
  }
  impl_->reap();
}

}  // namespace bbx::process
