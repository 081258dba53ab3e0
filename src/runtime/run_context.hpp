// What every runtime component of one scenario run shares: the scenario, its journal and
// directories, the isolation mode that runs, the event loop and its waits (RunLoop), and the
// variable values known so far (RunValues). Owned by the runner for the whole run;
// components keep references to it. Used from the loop thread (see run_loop.hpp).
#pragma once

#include <filesystem>
#include <string>

#include "bbx/scenario.hpp"
#include "journal/journal.hpp"
#include "runtime/child_exits.hpp"
#include "runtime/client_origin.hpp"
#include "runtime/run_loop.hpp"
#include "runtime/run_values.hpp"

namespace bbx::runtime {

class RunContext : public RunLoop, public RunValues {
 public:
  // Sets the values known from the start: sandbox, scenario.name, scenario.id, and each
  // scenario var as NAME and vars.NAME.
  RunContext(const Scenario& scenario, journal::Journal& journal, std::filesystem::path scenario_dir,
             std::filesystem::path sandbox_dir, std::string isolation);

  journal::Journal& journal() { return journal_; }
  const Scenario& scenario() const { return scenario_; }
  const std::filesystem::path& scenario_dir() const { return scenario_dir_; }
  const std::filesystem::path& sandbox_dir() const { return sandbox_dir_; }
  const std::string& isolation() const { return isolation_; }
  bool namespaced() const { return isolation_ == "namespaces"; }

  // --pause-on-fail: the driver pauses for inspection at the first failure.
  void set_pause_on_fail(bool on) { pause_on_fail_ = on; }
  bool pause_on_fail() const { return pause_on_fail_; }

  // Who holds the client end of a connection a fake accepted (client_origin.hpp); nullopt
  // when no finder is installed or nothing was found. Loop thread only.
  void set_client_origin_finder(ClientOriginFinder finder) { find_origin_ = std::move(finder); }
  std::optional<ClientOrigin> client_origin(const util::TcpEndpoint& server, const util::TcpEndpoint& client) const {
    return find_origin_ ? find_origin_(server, client) : std::nullopt;
  }

  // The runner's children whose starter reads their exit (child_exits.hpp).
  ChildExits& child_exits() { return child_exits_; }

 private:
  const Scenario& scenario_;
  journal::Journal& journal_;
  std::filesystem::path scenario_dir_;
  std::filesystem::path sandbox_dir_;
  std::string isolation_;
  bool pause_on_fail_ = false;
  ClientOriginFinder find_origin_;
  ChildExits child_exits_;
};

}  // namespace bbx::runtime
