#include "runner/isolation.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>

#include "bbx/error.hpp"
#include "util/signals.hpp"

namespace bbx::runner {

namespace {

constexpr int kNamespaceFlags = CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWNS;
volatile sig_atomic_t g_forward_to = 0;

void forward_signal(int sig) {
  if (g_forward_to > 0) ::kill(g_forward_to, sig);
}

bool bring_up_loopback() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  bool ok = ::ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  ok = ok && ::ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
  ::close(fd);
  return ok;
}

// In PID 1 of the new namespaces: private mounts, a /proc of this namespace, loopback up.
bool prepare_namespace(std::string& error) {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    error = std::string("cannot make mounts private: ") + std::strerror(errno);
    return false;
  }
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NOEXEC | MS_NODEV, nullptr) != 0) {
    error = std::string("cannot mount /proc: ") + std::strerror(errno);
    return false;
  }
  if (!bring_up_loopback()) {
    error = std::string("cannot bring up loopback: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool write_file(const char* path, const std::string& text) {
  int fd = ::open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// Enters fresh network, PID and mount namespaces. With CAP_SYS_ADMIN (root) directly; else,
// where the kernel allows unprivileged user namespaces, inside a new user namespace that
// maps this process's uid and gid to themselves (subjects keep the user's identity and, once
// they exec, no capabilities; the runner keeps the capabilities it needs in the namespaces
// it owns: mounting /proc, bringing loopback up). Returns "" or why it could not.
std::string enter_namespaces() {
  if (::unshare(kNamespaceFlags) == 0) return "";
  int direct = errno;
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (direct != EPERM || uid == 0) return std::string("unshare: ") + std::strerror(direct);
  if (::unshare(CLONE_NEWUSER | kNamespaceFlags) != 0)
    return std::string("unshare: ") + std::strerror(direct) + "; with a user namespace: " + std::strerror(errno) +
           " (unprivileged user namespaces are off: sysctl kernel.unprivileged_userns_clone / user.max_user_namespaces)";
  if (!write_file("/proc/self/setgroups", "deny") ||
      !write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n") ||
      !write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n"))
    return std::string("cannot map the user into its user namespace: ") + std::strerror(errno);
  return "";
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}

// The middle process: relays SIGINT/SIGTERM to PID 1 and exits with its status.
[[noreturn]] void relay(pid_t init) {
  g_forward_to = init;
  struct sigaction sa {};
  sa.sa_handler = forward_signal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  sigset_t set = util::interrupt_signals();  // forked with them blocked: now they can be relayed
  ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
  int status = 0;
  while (::waitpid(init, &status, 0) < 0 && errno == EINTR) {
  }
  ::_exit(exit_code_of(status));
}

[[noreturn]] void run_namespaced(IsolationMode mode, const std::function<int(const std::string&)>& body) {
  if (auto why = enter_namespaces(); !why.empty()) {
    if (mode == IsolationMode::namespaces) {
      std::fprintf(stderr, "bbx: cannot create namespaces: %s\n", why.c_str());
      ::_exit(3);
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::_exit(body("none"));
  }
  pid_t init = ::fork();
  if (init < 0) {
    std::fprintf(stderr, "bbx: fork: %s\n", std::strerror(errno));
    ::_exit(3);
  }
  if (init > 0) relay(init);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  std::string error;
  if (!prepare_namespace(error)) {
    std::fprintf(stderr, "bbx: %s\n", error.c_str());
    ::_exit(3);
  }
  ::_exit(body("namespaces"));
}

}  // namespace

IsolationMode parse_isolation(const std::string& text) {
  if (text == "auto") return IsolationMode::automatic;
  if (text == "namespaces") return IsolationMode::namespaces;
  if (text == "none") return IsolationMode::none;
  fail_input({}, "--isolation: expected auto, namespaces or none, got '" + text + "'");
}

const std::string& namespaces_unavailable_reason() {
  static const std::string reason = [] {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(pipe_fds[0]);
      auto why = enter_namespaces();
      if (!why.empty() && ::write(pipe_fds[1], why.data(), why.size()) < 0) ::_exit(2);
      ::_exit(why.empty() ? 0 : 1);
    }
    ::close(pipe_fds[1]);
    std::string why;
    char buf[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      why.append(buf, static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    if (pid < 0) return std::string("fork: ") + std::strerror(errno);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return std::string();
    return why.empty() ? std::string("the probe failed") : why;
  }();
  return reason;
}

bool namespaces_available() { return namespaces_unavailable_reason().empty(); }

pid_t fork_runner(IsolationMode mode, const std::function<int(const std::string&)>& body,
                  const std::function<void()>& in_child) {
  pid_t parent = ::getpid();
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid != 0) return pid;  // parent (or -1)
  if (in_child) in_child();
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(3);  // the coordinator died before prctl took effect
  if (mode != IsolationMode::none) run_namespaced(mode, body);
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  ::_exit(body("none"));
}

}  // namespace bbx::runner
