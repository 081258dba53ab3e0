#include "process/spawn.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <system_error>

#include <boost/process/v2/environment.hpp>
// Boost 1.81's header-only mode omits process_environment::on_setup; this one TU adds it.
#include <boost/process/v2/impl/environment.ipp>
#include <boost/process/v2/posix/default_launcher.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>

#include "util/fd_limit.hpp"
#include "util/self_exe.hpp"
#include "util/text.hpp"

namespace bp = boost::process::v2;

namespace bbx::process {

namespace {

// Runs in the child between vfork and exec. The child shares the runner's memory and stack
// until it execs, while the runner's other threads (the statsd fake's, HTTP fake workers)
// keep running: so it allocates nothing (fd_whitelist's room is reserved in on_setup, in the
// parent), writes nothing of the parent's but the launcher, and never calls exit() (which
// would flush the parent's stdio buffers): a failure is left in the launcher's error code,
// then _exit (VforkLauncher below).
struct ChildSetup {
  const SpawnRequest* request;

  template <typename Launcher>
  bp::error_code on_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*&) {
    launcher.fd_whitelist.reserve(8);
    return {};
  }

  template <typename Launcher>
  bp::error_code on_exec_setup(Launcher& launcher, const bp::filesystem::path&, const char* const*&) {
    const SpawnRequest& r = *request;
    if (r.report_fd >= 0) {
      if (r.report_fd == 3) ::fcntl(3, F_SETFD, 0);
      else if (::dup2(r.report_fd, 3) < 0) return bp::error_code(errno, bp::system_category());
      launcher.fd_whitelist.push_back(3);
    }
    if (r.umask >= 0) ::umask(static_cast<mode_t>(r.umask));
    util::restore_fd_limit();  // the soft descriptor limit bbx was started with; `rlimits:` may set another
    for (const auto& [resource, value] : r.rlimits) {
      rlimit lim{};
      lim.rlim_cur = lim.rlim_max = value < 0 ? RLIM_INFINITY : static_cast<rlim_t>(value);
      if (::setrlimit(resource, &lim) != 0) return bp::error_code(errno, bp::system_category());
    }
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Signals are blocked since before the vfork (spawn_process): no handler of the runner's
    // can run in the child. Dispositions go back to default first, then nothing is blocked.
    for (int s = 1; s < NSIG; ++s)
      if (s != SIGKILL && s != SIGSTOP) ::signal(s, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    return {};
  }
};

// Boost.Process v2's launcher with vfork and without fork notifications: its own
// vfork_launcher tells the executor's io_context about the fork, and Asio then rebuilds
// that context's epoll set *in the child*, which with vfork is the parent's memory. This
// one starts no Asio machinery at all and returns the pid (the caller reaps it). The
// initializers (stdio, cwd, environment, ChildSetup) are Boost's, run as Boost runs them.
struct VforkLauncher : bp::posix::default_launcher {
  template <typename Args, typename... Inits>
  pid_t launch(bp::error_code& ec, const bp::filesystem::path& executable, Args&& args, Inits&&... inits) {
    namespace detail = bp::posix::detail;
    auto argv = this->build_argv_(executable, std::forward<Args>(args));
    ec = detail::on_setup(*this, executable, argv, inits...);
    if (ec) return -1;
    pid = ::vfork();
    if (pid == 0) {
      ec = detail::on_exec_setup(*this, executable, argv, inits...);
      if (!ec) close_all_fds(ec);
      if (!ec) ::execve(executable.c_str(), const_cast<char* const*>(argv), const_cast<char* const*>(env));
      if (!ec) ec.assign(errno, bp::system_category());  // the parent reads it when vfork returns
      ::_exit(127);
    }
    if (pid < 0) ec.assign(errno, bp::system_category());
    return pid;
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

pid_t spawn_process(const SpawnRequest& r) {
  auto stdio = [](const SpawnRequest& q) {
    if (q.stdin_fd >= 0) return bp::process_stdio{q.stdin_fd, q.stdout_fd, q.stderr_fd};
    return bp::process_stdio{nullptr, q.stdout_fd, q.stderr_fd};
  };
  std::vector<std::string> env;
  for (const auto& [k, v] : r.env) env.push_back(k + "=" + v);
  sigset_t all, old;
  sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  bp::error_code ec;
  VforkLauncher launcher;
  pid_t pid = launcher.launch(ec, bp::filesystem::path(r.executable.string()), r.args, stdio(r),
                              bp::process_start_dir(bp::filesystem::path(r.cwd.string())),
                              bp::process_environment(env), ChildSetup{&r});
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (ec) {
    if (pid > 0) ::waitpid(pid, nullptr, 0);  // the child that could not exec
    throw std::system_error(ec, "cannot start " + r.executable.string());
  }
  return pid;
}

}  // namespace bbx::process
