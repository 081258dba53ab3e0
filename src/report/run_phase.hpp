// What a running scenario is doing, told from its journal so far: for the console's
// "still running" lines ("waiting for subject 'app' to be ready (listening 8080) for 12.0s",
// "in step 3 'wait for file out.txt' for 10.2s"). Fed events in seq order; pure.
#pragma once

#include <cstdint>
#include <string>

#include "bbx/event.hpp"
#include "journal/event_log.hpp"

namespace bbx::report {

class RunPhase {
 public:
  void feed(const Event& e);
  // The event types feed looks at (the others change nothing): a reader can skip the rest.
  static journal::TypeFilter types();
  // The phase at journal time now_ns (t_ns of the run's clock), one clause.
  std::string describe(std::int64_t now_ns) const;

 private:
  std::string what_ = "starting";
  std::int64_t since_ns_ = 0;
  int steps_begun_ = 0;
  bool steps_over_ = false;
};

}  // namespace bbx::report
