// The event loop of one scenario run and the waits on it. Every I/O object on it (socket,
// timer, descriptor) is used from the loop thread only; other threads may only post
// handlers to it. Components never block it: they start asynchronous work and the scenario
// driver pumps the loop with run_until() until a condition holds.
//
// While the loop is pumped the journal is written by the loop (Journal::write_on): an append
// from any thread posts the journal's drain, a loop handler, so it wakes run_until too.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "journal/journal.hpp"

namespace boost::asio {
class io_context;
}

namespace bbx::runtime {

class RunLoop {
 public:
  // journal must outlive the loop.
  explicit RunLoop(journal::Journal& journal);
  ~RunLoop();
  RunLoop(const RunLoop&) = delete;
  RunLoop& operator=(const RunLoop&) = delete;

  boost::asio::io_context& io();

  // Runs loop handlers until pred() is true (returns true) or the deadline passes (returns
  // false). pred is re-checked after every handler: journal appends, exits, timers. Returns
  // false at once (after one check of pred) while cut_short().
  bool run_until(const std::function<bool()>& pred, std::chrono::steady_clock::time_point deadline);
  // Runs ready handlers without blocking.
  void poll();

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
    explicit HaltShield(RunLoop& loop) : loop_(loop) { ++loop_.shields_; }
    ~HaltShield() { --loop_.shields_; }
    HaltShield(const HaltShield&) = delete;
    HaltShield& operator=(const HaltShield&) = delete;

   private:
    RunLoop& loop_;
  };

 private:
  struct Loop;
  class PumpScope;
  std::unique_ptr<Loop> loop_;
  journal::Journal& journal_;
  int pumping_ = 0;  // nesting depth of run_until/poll
  std::string abort_reason_;
  std::string halt_reason_;
  int shields_ = 0;  // live HaltShields
};

}  // namespace bbx::runtime
