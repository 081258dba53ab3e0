#include "process/command_runner.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>

#include "process/output_reader.hpp"
#include "process/spawn.hpp"

namespace bbx::process {

namespace {

using Clock = std::chrono::steady_clock;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::optional<ExitStatus> exit_of(runtime::RunContext& ctx, pid_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid)
    return ExitStatus::from_siginfo(info);
  if (auto reaped = ctx.child_exits().reaped(pid)) return ExitStatus::from_siginfo(*reaped);
  return std::nullopt;
}

namespace {

SpawnRequest spawn_request(runtime::RunContext& ctx, const CommandRequest& r, const std::filesystem::path& exe) {
  SpawnRequest req;
  req.executable = exe;
  req.args = {r.argv.begin() + 1, r.argv.end()};
  req.cwd = ctx.sandbox_dir();
  req.env = clean_environment(ctx.sandbox_dir());
  for (const auto& [k, v] : r.env) req.env[k] = v;
  return req;
}

// Starts readers for both pipes; `open` counts streams not yet at EOF.
void capture(runtime::RunContext& ctx, const EventSource& source, int out_fd, int err_fd,
             const std::shared_ptr<int>& open, std::filesystem::path raw[2]) {
  auto logs = ctx.scenario_dir() / "logs";
  std::filesystem::create_directories(logs);
  const char* streams[2] = {"stdout", "stderr"};
  int fds[2] = {out_fd, err_fd};
  for (int i = 0; i < 2; ++i) {
    raw[i] = logs / ("command-" + std::to_string(source.pid) + "." + streams[i]);
    std::ofstream(raw[i], std::ios::trunc);
    OutputSink sink{source, streams[i], raw[i], nullptr, [open] { --*open; }};
    start_output_reader(ctx, fds[i], std::move(sink));
  }
}

}  // namespace

CommandOutcome run_to_completion(runtime::RunContext& ctx, const CommandRequest& r) {
  CommandOutcome outcome;
  auto exe = resolve_executable(r.argv.at(0), ctx.scenario().file.parent_path());
  if (exe.empty()) {
    outcome.error = "'" + r.argv[0] + "' not found (looked beside bbx, then on PATH)";
    return outcome;
  }
  SpawnRequest req = spawn_request(ctx, r, exe);
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    outcome.error = std::string("cannot create pipes: ") + std::strerror(errno);
    return outcome;
  }
  req.stdout_fd = out[1];
  req.stderr_fd = err[1];
  pid_t pid = 0;
  try {
    pid = spawn_process(req);
  } catch (const std::exception& e) {
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    outcome.error = e.what();
    return outcome;
  }
  ctx.child_exits().expect(pid);  // before the loop runs again: its reaper may take the exit
  ::close(out[1]);
  ::close(err[1]);
  outcome.started = true;
  EventSource source = r.source;
  source.pid = pid;
  ctx.journal().append(source, journal::ev::command_start, {{"argv", r.argv}, {"executable", exe.string()}});
  auto open = std::make_shared<int>(2);
  std::filesystem::path raw[2];
  capture(ctx, source, out[0], err[0], open, raw);
  auto done = [&] { return (outcome.status || (outcome.status = exit_of(ctx, pid))) && *open == 0; };
  // Short slices: an exit reaped by nobody wakes no handler, so re-check it regularly.
  auto deadline = Clock::now() + r.timeout;
  while (!done() && Clock::now() < deadline && !ctx.cut_short())
    ctx.run_until(done, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
  if (!done()) {
    outcome.cut_short = ctx.cut_short();
    outcome.timed_out = !outcome.cut_short;
    ::kill(pid, SIGKILL);
    runtime::RunContext::HaltShield shield(ctx);  // a halted run still reaps what it killed
    ctx.run_until(done, Clock::now() + std::chrono::seconds(1));
  }
  siginfo_t info{};
  ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG);  // reap it if nobody did
  ctx.child_exits().forget(pid);
  outcome.out = slurp(raw[0]);
  outcome.err = slurp(raw[1]);
  nlohmann::json body = outcome.status ? outcome.status->to_json() : nlohmann::json::object();
  body["timed_out"] = outcome.timed_out;
  if (outcome.cut_short) body["cut_short"] = true;
  body["stdout_bytes"] = outcome.out.size();
  body["stderr_bytes"] = outcome.err.size();
  outcome.exit_seq = ctx.journal().append(source, journal::ev::command_exit, std::move(body));
  return outcome;
}

}  // namespace bbx::process
