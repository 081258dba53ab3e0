#include "util/signals.hpp"

#include <csignal>
#include <charconv>
#include <utility>

namespace bbx::util {

namespace {
constexpr std::pair<const char*, int> kSignals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT}, {"BUS", SIGBUS},   {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"CHLD", SIGCHLD},
    {"CONT", SIGCONT}, {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN},
    {"TTOU", SIGTTOU}, {"URG", SIGURG},   {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
    {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"SYS", SIGSYS},
};
}  // namespace

std::optional<int> signal_from_name(std::string_view name) {
  int number = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), number);
  if (ec == std::errc() && ptr == name.data() + name.size())
    return number > 0 && number < 65 ? std::optional<int>(number) : std::nullopt;
  if (name.substr(0, 3) == "SIG") name.remove_prefix(3);
  for (auto [n, s] : kSignals)
    if (name == n) return s;
  return std::nullopt;
}

std::string signal_name(int signal) {
  for (auto [n, s] : kSignals)
    if (signal == s) return std::string("SIG") + n;
  return "SIG" + std::to_string(signal);
}

sigset_t interrupt_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace bbx::util
