#include "process/spawn.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
  const SpawnRequest* request;

  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*&) {
    const SpawnRequest& r = *request;
    if (r.report_fd >= 0) {
      if (r.report_fd == 3) ::fcntl(3, F_SETFD, 0);
      else if (::dup2(r.report_fd, 3) < 0) return bp::error_code(errno, bp::system_category());
      launcher.fd_whitelist.push_back(3);
    }
    if (r.umask >= 0) ::umask(static_cast<mode_t>(r.umask));
    for (const auto& [resource, value] : r.rlimits) {
      rlimit lim{};
      lim.rlim_cur = lim.rlim_max = value < 0 ? RLIM_INFINITY : static_cast<rlim_t>(value);
      if (::setrlimit(resource, &lim) != 0) return bp::error_code(errno, bp::system_category());
    }
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

std::map<std::string, std::string> clean_environment(const std::filesystem::path& sandbox) {
  const char* path = std::getenv("PATH");
  return {{"PATH", path ? path : "/usr/bin:/bin"}, {"HOME", sandbox.string()}, {"LANG", "C.UTF-8"}, {"TZ", "UTC"}};
}

pid_t spawn_process(boost::asio::io_context& io, const SpawnRequest& r) {
  auto stdio = [](const SpawnRequest& q) {
    if (q.stdin_fd >= 0) return bp::process_stdio{q.stdin_fd, q.stdout_fd, q.stderr_fd};
    return bp::process_stdio{nullptr, q.stdout_fd, q.stderr_fd};
  };
  std::vector<std::string> env;
  for (const auto& [k, v] : r.env) env.push_back(k + "=" + v);
  bp::process child(io, bp::filesystem::path(r.executable.string()), r.args, stdio(r),
                    bp::process_start_dir(bp::filesystem::path(r.cwd.string())), bp::process_environment(env), ChildSetup{&r});
  pid_t pid = child.id();
  child.detach();  // reaping is the supervisor's job (waitid on SIGCHLD)
  return pid;
}

}  // namespace bbx::process
