#include "process/subject_command.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "bbx/error.hpp"
#include "process/subreaper_shim.hpp"

namespace bbx::process {

int rlimit_resource(const std::string& name) {
  if (name == "nofile") return RLIMIT_NOFILE;
  if (name == "core") return RLIMIT_CORE;
  if (name == "nproc") return RLIMIT_NPROC;
  if (name == "as") return RLIMIT_AS;
  if (name == "fsize") return RLIMIT_FSIZE;
  if (name == "cpu") return RLIMIT_CPU;
  if (name == "stack") return RLIMIT_STACK;
  return -1;
}

namespace {

std::filesystem::path self_exe() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) fail_harness("cannot read /proc/self/exe: " + ec.message());
  return exe;
}

int open_stdin(runtime::RunContext& ctx, const model::Subject& subject) {
  if (!subject.stdin_file) return -1;
  std::filesystem::path p = ctx.expand(*subject.stdin_file);
  if (p.is_relative()) p = ctx.scenario().file.parent_path() / p;
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    fail_scenario("cannot start subject '" + subject.name + "': stdin: cannot open " + p.string() + ": " +
                             std::strerror(errno));
  return fd;
}

}  // namespace

PreparedCommand prepare_command(runtime::RunContext& ctx, const model::Subject& subject) {
  PreparedCommand out;
  if (subject.shell) out.argv = {"/bin/sh", "-c", ctx.expand(*subject.shell)};
  else
    for (const auto& arg : subject.command) out.argv.push_back(ctx.expand(arg));
  auto exe = resolve_executable(out.argv[0], ctx.scenario().file.parent_path());
  if (exe.empty())
    fail_scenario("cannot start subject '" + subject.name + "': '" + out.argv[0] +
                             "' not found (looked beside bbx, then on PATH)");
  out.executable = exe.string();
  SpawnRequest& req = out.request;
  // The shim: bbx-supervise beside bbx, else bbx itself re-executed as `bbx __supervise`.
  auto small = self_exe().parent_path() / "bbx-supervise";
  if (::access(small.c_str(), X_OK) == 0) {
    req.executable = small;
    req.args = {"--", out.executable};
  } else {
    req.executable = self_exe();
    req.args = {kShimCommand, "--", out.executable};
  }
  req.args.insert(req.args.end(), out.argv.begin() + 1, out.argv.end());
  req.cwd = ctx.sandbox_dir();
  req.env = clean_environment(ctx.sandbox_dir());
  for (const auto& [k, v] : subject.env) req.env[k] = ctx.expand(v);
  if (subject.umask) req.umask = *subject.umask;
  for (const auto& [name, value] : subject.rlimits) req.rlimits.emplace_back(rlimit_resource(name), value);
  req.stdin_fd = open_stdin(ctx, subject);
  return out;
}

}  // namespace bbx::process
