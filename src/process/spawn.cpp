#include "process/spawn.hpp"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

#include <boost/asio/io_context.hpp>
#include <boost/process/v2/environment.hpp>
// Boost 1.81's header-only mode omits process_environment::on_setup; this one TU adds it.
#include <boost/process/v2/impl/environment.ipp>
#include <boost/process/v2/process.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>

#include "util/self_exe.hpp"
#include "util/text.hpp"

namespace bp = boost::process::v2;

namespace bbx::process {

namespace {

// Runs in the child between fork and exec.
struct ChildSetup {
  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher&, const bp::filesystem::path&, const char* const*&) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s = 1; s < NSIG; ++s)
      if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
    return {};
  }
};

bool executable_file(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path resolve_executable(const std::string& name, const std::filesystem::path& base_dir) {
  if (name.empty()) return {};
  if (name.find('/') != std::string::npos) {
    std::filesystem::path p(name);
    if (p.is_relative()) p = base_dir / p;
    return executable_file(p) ? std::filesystem::absolute(p).lexically_normal() : std::filesystem::path();
  }
  if (auto beside = util::self_exe_dir() / name; executable_file(beside)) return beside;
  const char* path = std::getenv("PATH");
  for (const auto& dir : util::split(path ? path : "/usr/bin:/bin", ':')) {
    if (dir.empty()) continue;
    if (auto candidate = std::filesystem::path(dir) / name; executable_file(candidate)) return candidate;
  }
  return {};
}

pid_t spawn_process(boost::asio::io_context& io, const SpawnRequest& r) {
  std::vector<std::string> env;
  for (const auto& [k, v] : r.env) env.push_back(k + "=" + v);
  bp::process child(io, bp::filesystem::path(r.executable.string()), r.args, bp::process_stdio{nullptr, r.stdout_fd, r.stderr_fd},
                    bp::process_start_dir(bp::filesystem::path(r.cwd.string())), bp::process_environment(env), ChildSetup{});
  pid_t pid = child.id();
  child.detach();  // reaping is the supervisor's job (waitid on SIGCHLD)
  return pid;
}

}  // namespace bbx::process
