#include "process/exit_status.hpp"

#include "util/signals.hpp"

namespace bbx::process {

ExitStatus ExitStatus::from_siginfo(const siginfo_t& info) {
  ExitStatus s;
  if (info.si_code == CLD_EXITED) {
    s.kind = Kind::exited;
    s.code = info.si_status;
  } else {
    s.kind = Kind::signaled;
    s.signal = info.si_status;
    s.core_dumped = info.si_code == CLD_DUMPED;
  }
  return s;
}

std::string ExitStatus::describe() const {
  if (kind == Kind::exited) return "exited with code " + std::to_string(code);
  return "killed by " + util::signal_name(signal) + (core_dumped ? " (core dumped)" : "");
}

nlohmann::json ExitStatus::to_json() const {
  if (kind == Kind::exited) return {{"code", code}};
  return {{"signal", util::signal_name(signal)}, {"signal_number", signal}, {"core_dumped", core_dumped}};
}

}  // namespace bbx::process
