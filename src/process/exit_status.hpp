// How a process ended, decoded from waitid()'s siginfo (ninja-style small enum).
#pragma once

#include <signal.h>

#include <string>

#include <nlohmann/json.hpp>

namespace bbx::process {

struct ExitStatus {
  enum class Kind { exited, signaled } kind = Kind::exited;
  int code = 0;         // exit code when exited
  int signal = 0;       // terminating signal when signaled
  bool core_dumped = false;

  static ExitStatus from_siginfo(const siginfo_t& info);
  // "exited with code 3", "killed by SIGKILL", "killed by SIGABRT (core dumped)".
  std::string describe() const;
  nlohmann::json to_json() const;
};

}  // namespace bbx::process
