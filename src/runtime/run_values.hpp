// The values ${variables} expand to during one run (ports, pids, sandbox, scenario vars),
// set as they become known. ${ports.NAME} is a free loopback TCP port chosen on first use,
// unlike every port already known in the run (other ${ports.*}, fakes' ports),
// and the same on every later use; ${env.X} reads the runner's environment. Used from the
// loop thread only.
#pragma once

#include <functional>
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
  // The integer a field stands for: its literal, or its ${...} text expanded. Throws
  // bbx::Error (invalid_input) at the text's location when the expansion is not an integer
  // in [f.min, f.max] ("<label>: '${x}' is 'abc', not an integer").
  std::int64_t expand_integer(const model::IntField& f) const;
  // Every known value whose name starts with prefix ("ports."), by name.
  std::map<std::string, std::string> values_with_prefix(const std::string& prefix) const;
  // Called with NAME and the port each time a ${ports.NAME} is allocated (its first use),
  // so the run can journal it (port.allocate). Set once, before any expansion.
  void on_port_allocated(std::function<void(const std::string& name, int port)> fn) { on_port_ = std::move(fn); }

 private:
  mutable std::map<std::string, std::string> values_;  // ${ports.X} are allocated on first use
  std::function<void(const std::string&, int)> on_port_;
};

// A free loopback TCP port: bound on 127.0.0.1 port 0 and released; the kernel does not hand
// the same ephemeral port out again soon. Throws bbx::Error (harness) when none can be had.
int free_loopback_port();

}  // namespace bbx::runtime
