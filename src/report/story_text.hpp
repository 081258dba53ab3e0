// A failure story (failure_story.hpp) as plain text, in the sections the console prints in
// order and JUnit spreads over its elements (the headline as the failure's message, the
// cause and the rest as its body, the window and the subjects' output as system-out):
//
//   first cause at +0.734s (#48): subject 'shop' exited with code 70 during step 3 ...
//       s.yaml:5:3: subject 'shop' is running          <- cause: the check in full
//         expected: subject 'shop' running
//         actual:   exited with code 70; last output: ...
//         events:   #48
//   machine busy: some task waited for a CPU 71% of the run's time ...   <- cause: at kBusyPressure and up
//   timeline around it (#29–#52 of 97 events, every source; 3 resource samples left out):
//       +0.512s  #29  [step:http POST /cart]  step 3 begins (s.yaml:14:5)   <- window
//   last output lines of each subject, up to #52:
//       shop (9 lines)                                  <- tails
//         #40  [stderr] request POST /cart
//   2 later failures, likely consequences of the first cause:   <- rest
//       s.yaml:20:5: exit of subject 'shop': expected exited with code 0, got exited with code 70 (#60)
//   other failures (1): ... (in full)
//   tally: 3 expectations: 1 passed, 2 failed; 6 steps: 1–2 passed, 3 cut short, 4–6 not run
//
// Every line ends with '\n' and starts with `indent`; an empty section is "". Pure.
#pragma once

#include <string>

#include "bbx/outcome.hpp"
#include "report/failure_story.hpp"

namespace bbx::report {

// One check as the console always showed it:
//   "<indent>  path:line:col: what\n<indent>    expected: ...\n<indent>    actual:   ...\n<indent>    events:   #4 #9\n"
std::string check_block(const CheckResult& c, const std::string& indent);

// The CPU pressure (FailureStory::cpu_pressure) from which a story says the machine was busy:
// a task waiting a quarter of the time runs a third longer, which a tight timeout can feel.
inline constexpr double kBusyPressure = 0.25;

// "machine busy: some task waited for a CPU 71% of the run's time (CPU pressure), so timings
// may be up to x3.4 an idle machine's: a timeout or a slow step may be the load's, not the
// subject's" (the stretch of util/cpu_stretch.hpp).
std::string busy_line(double cpu_pressure);

struct StoryText {
  std::string cause;   // "first cause ..." and the first failure's block
  std::string window;  // the timeline window, with its heading
  std::string tails;   // each subject's last output lines, with its heading
  std::string rest;    // consequences (one line each), other failures (in full), the tally
};

StoryText story_text(const FailureStory& story, const std::string& indent = "  ");

// The shell word for s: as is when it is plain ([A-Za-z0-9_./:=@%+,-]), else in single
// quotes ('it'\''s'): a rerun command a person can paste.
std::string shell_quote(const std::string& s);

}  // namespace bbx::report
