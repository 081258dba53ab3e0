// What every runtime component of one scenario run shares: the event loop, the journal,
// the scenario, its directories and the variable values known so far. Owned by the
// runner for the whole run; components keep references to it.
//
// The loop is single-threaded: every I/O object on it (socket, timer, descriptor) is used
// from the loop thread only; other threads may only post handlers to it. Components never
// block it: they start asynchronous work and the scenario driver pumps the loop with
// run_until() until a condition holds.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "bbx/scenario.hpp"
#include "journal/journal.hpp"
#include "scenario/variables.hpp"

namespace boost::asio {
class io_context;
}

namespace bbx::runtime {

class RunContext {
 public:
  RunContext(const Scenario& scenario, journal::Journal& journal, std::filesystem::path scenario_dir,
             std::filesystem::path sandbox_dir, std::string isolation);
  ~RunContext();

  boost::asio::io_context& io();
  journal::Journal& journal() { return journal_; }
  const Scenario& scenario() const { return scenario_; }
  const std::filesystem::path& scenario_dir() const { return scenario_dir_; }
  const std::filesystem::path& sandbox_dir() const { return sandbox_dir_; }
  const std::string& isolation() const { return isolation_; }
  bool namespaced() const { return isolation_ == "namespaces"; }

  // Runs loop handlers until pred() is true (returns true) or the deadline passes (returns
  // false). pred is re-checked after every handler: journal appends, exits, timers. An
  // append from another thread (HTTP fake workers, the statsd fake) wakes it too: it posts
  // the journal's drain to the loop (see PumpScope). Returns false at once (after one check
  // of pred) while cut_short().
  bool run_until(const std::function<bool()>& pred, std::chrono::steady_clock::time_point deadline);
  // Runs ready handlers without blocking.
  void poll();

  // Variable values (ports, pids, sandbox, ...), set as they become known. ${ports.NAME}
  // is a free loopback TCP port chosen on first use and the same on every later use.
  void set_value(const std::string& name, std::string value) { values_[name] = std::move(value); }
  std::optional<std::string> value(const std::string& name) const;
  std::string expand(const model::Template& t) const;
  // Every known value whose name starts with prefix ("ports."), by name.
  std::map<std::string, std::string> values_with_prefix(const std::string& prefix) const;

  // --pause-on-fail: the driver pauses for inspection at the first failure.
  void set_pause_on_fail(bool on) { pause_on_fail_ = on; }
  bool pause_on_fail() const { return pause_on_fail_; }

  // Set when the run must end early (SIGINT/SIGTERM to bbx); run_until then returns false.
  void request_abort(std::string reason);
  bool aborted() const { return !abort_reason_.empty(); }
  const std::string& abort_reason() const { return abort_reason_; }

  // Set when a failure makes further waiting pointless: a subject's unexpected exit (the
  // driver halts with "subject 'app' exited with code 7"). The verdict stays the driver's
  // (failed, not interrupted), but every wait running or yet to come ends at once, as on an
  // interrupt: sleeps, wait steps, HTTP and command steps, readiness, `within:` expectations.
  // Waits inside a HaltShield still run their course. The first reason is kept.
  void halt(std::string reason);
  bool halted() const { return !halt_reason_.empty(); }
  const std::string& halt_reason() const { return halt_reason_; }

  // True when waits must end now: interrupted, or halted outside every HaltShield. Every
  // loop that waits in slices of run_until checks it.
  bool cut_short() const { return aborted() || (halted() && shields_ == 0); }
  // Why waits end: the abort reason, else the halt reason; "" when they do not.
  const std::string& cut_reason() const { return aborted() ? abort_reason_ : halt_reason_; }

  // While one lives, a halt does not cut waits short (an interrupt still does): for waits
  // that must finish even in a failed run, e.g. stopping a subject within its grace period
  // and reading its last output, starting one, or pausing for --pause-on-fail.
  class HaltShield {
   public:
    explicit HaltShield(RunContext& ctx) : ctx_(ctx) { ++ctx_.shields_; }
    ~HaltShield() { --ctx_.shields_; }
    HaltShield(const HaltShield&) = delete;
    HaltShield& operator=(const HaltShield&) = delete;

   private:
    RunContext& ctx_;
  };

 private:
  struct Loop;
  class PumpScope;
  std::unique_ptr<Loop> loop_;
  int pumping_ = 0;  // nesting depth of run_until/poll
  const Scenario& scenario_;
  journal::Journal& journal_;
  std::filesystem::path scenario_dir_;
  std::filesystem::path sandbox_dir_;
  std::string isolation_;
  int allocate_free_port() const;
  mutable std::map<std::string, std::string> values_;  // ${ports.X} are allocated on first use
  std::string abort_reason_;
  std::string halt_reason_;
  int shields_ = 0;  // live HaltShields
  bool pause_on_fail_ = false;
};

}  // namespace bbx::runtime
