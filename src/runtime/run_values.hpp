// The values ${variables} expand to during one run (ports, pids, sandbox, scenario vars),
// set as they become known. ${ports.NAME} is a free loopback TCP port chosen on first use
// and the same on every later use; ${env.X} reads the runner's environment. Used from the
// loop thread only.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "bbx/model/common.hpp"

namespace bbx::runtime {

class RunValues {
 public:
  void set_value(const std::string& name, std::string value) { values_[name] = std::move(value); }
  std::optional<std::string> value(const std::string& name) const;
  // Throws bbx::Error (invalid_input) at the template's location for a name with no value.
  std::string expand(const model::Template& t) const;
  // Every known value whose name starts with prefix ("ports."), by name.
  std::map<std::string, std::string> values_with_prefix(const std::string& prefix) const;

 private:
  mutable std::map<std::string, std::string> values_;  // ${ports.X} are allocated on first use
};

// A free loopback TCP port: bound on 127.0.0.1 port 0 and released; the kernel does not hand
// the same ephemeral port out again soon. Throws bbx::Error (harness) when none can be had.
int free_loopback_port();

}  // namespace bbx::runtime
