#include "assert/command_check.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "assert/near_miss.hpp"
#include "assert/text_match.hpp"
#include "process/exit_status.hpp"
#include "process/output_reader.hpp"
#include "process/spawn.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

using Clock = std::chrono::steady_clock;

struct Shared {
  std::string out, err;
  int open = 2;
};

// The exit of pid: not reaped (WNOWAIT), or already reaped and journaled by the supervisor.
std::optional<process::ExitStatus> exit_of(runner::RunContext& ctx, pid_t pid, std::uint64_t from, std::uint64_t& seq) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
    return process::ExitStatus::from_siginfo(info);
  std::optional<process::ExitStatus> found;
  ctx.journal().for_each(from, [&](const Event& e) {
    if (e.type != "process.exit" || e.source.pid != pid) return true;
    found = process::ExitStatus{};
    if (e.body.contains("signal")) {
      found->kind = process::ExitStatus::Kind::signaled;
      found->signal = e.body.value("signal_number", 0);
    } else {
      found->code = e.body.value("code", 0);
    }
    seq = e.seq;
    return false;
  });
  return found;
}

}  // namespace

CommandRun run_command(runner::RunContext& ctx, const model::CommandExpectation& spec) {
  CommandRun run;
  std::vector<std::string> argv;
  for (const auto& a : spec.run) argv.push_back(ctx.expand(a));
  auto exe = process::resolve_executable(argv[0], ctx.scenario().file.parent_path());
  if (exe.empty()) {
    run.error = "'" + argv[0] + "' not found (looked beside bbx, then on PATH)";
    return run;
  }
  process::SpawnRequest req;
  req.executable = exe;
  req.args = {argv.begin() + 1, argv.end()};
  req.cwd = ctx.sandbox_dir();
  const char* path = std::getenv("PATH");
  req.env = {{"PATH", path ? path : "/usr/bin:/bin"}, {"HOME", ctx.sandbox_dir().string()}, {"LANG", "C.UTF-8"}, {"TZ", "UTC"}};
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    run.error = std::string("cannot create pipes: ") + std::strerror(errno);
    return run;
  }
  req.stdout_fd = out[1];
  req.stderr_fd = err[1];
  auto from = ctx.journal().size() + 1;
  pid_t pid = 0;
  try {
    pid = process::spawn_process(ctx.io(), req);
  } catch (const std::exception& e) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    run.error = e.what();
    return run;
  }
  ::close(out[1]);
  ::close(err[1]);
  run.started = true;
  EventSource source{"probe", "command", pid};
  ctx.journal().append(source, "process.spawn", {{"argv", argv}, {"executable", exe.string()}});
  auto shared = std::make_shared<Shared>();
  auto logs = ctx.scenario_dir() / "logs";
  std::filesystem::create_directories(logs);
  for (auto [fd, stream] : {std::pair{out[0], "stdout"}, {err[0], "stderr"}}) {
    std::string name = stream;
    process::OutputSink sink{source, name, logs / ("command-" + std::to_string(pid) + "." + name),
                             [shared, name](const std::string& line) {
                               auto& text = name == "stdout" ? shared->out : shared->err;
                               text += (text.empty() ? "" : "\n") + line;
                             },
                             [shared] { --shared->open; }};
    process::start_output_reader(ctx, fd, std::move(sink));
  }
  std::optional<process::ExitStatus> status;
  auto done = [&] { return (status || (status = exit_of(ctx, pid, from, run.exit_seq))) && shared->open == 0; };
  auto deadline = Clock::now() + spec.timeout;
  while (!done() && Clock::now() < deadline && !ctx.aborted())
    ctx.run_until(done, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
  if (!done()) {
    ::kill(pid, SIGKILL);
    run.error = "timed out after " + std::to_string(spec.timeout.count() / 1000000) + "ms";
    ctx.run_until(done, Clock::now() + std::chrono::seconds(1));
  }
  if (status) {
    run.status = status->describe();
    if (status->kind == process::ExitStatus::Kind::exited) run.exit_code = status->code;
  }
  run.out = shared->out;
  run.err = shared->err;
  return run;
}

CheckResult judge_command(const model::CommandExpectation& spec, const std::string& argv_text, const CommandRun& run,
                          const SourceLocation& where) {
  CheckResult r;
  r.what = "command '" + argv_text + "'";
  r.where = where;
  if (run.exit_seq) r.evidence.push_back(run.exit_seq);
  std::vector<std::string> expected{"exited with code " + std::to_string(spec.exit_code)}, actual;
  bool ok = run.error.empty() && run.exit_code == spec.exit_code;
  actual.push_back(run.error.empty() ? run.status : run.error);
  for (auto [label, m, text] : {std::tuple{"stdout", &spec.stdout_match, &run.out}, {"stderr", &spec.stderr_match, &run.err}}) {
    if (!*m) continue;
    expected.push_back(std::string(label) + " " + describe(**m));
    bool hit = Matcher(**m)(*text);
    ok = ok && hit;
    actual.push_back(std::string(label) + " " + quote_line(*text));
  }
  r.passed = ok;
  r.expected = util::join(expected, ", ");
  r.actual = util::join(actual, ", ");
  return r;
}

}  // namespace bbx::assertions
