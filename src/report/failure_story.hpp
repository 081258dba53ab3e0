// The explanation of a failed scenario, computed from its journal (stored or live) and its
// result: what the console, JUnit and CI annotations say about a failure. They only render
// it (console.hpp, junit.hpp).
//
//   - The first cause: the earliest failure in journal order (a subject's crash, a readiness
//     failure, a failed step, the scenario timeout, a fake or sandbox file that could not be
//     set up, or the first failed expectation), stated as one sentence with its time and seq:
//       at +0.734s (#48): subject 'shop' exited with code 70 during step 3 'http POST /cart'
//       (s.yaml:14:5); its last line: "fatal: exiting on request 3"
//   - The other failures. After a first cause that stops the run (all but a failed
//     expectation) every later failure is marked as its likely consequence; failed
//     expectations are independent of each other.
//   - How busy the machine was (scenario.end's cpu_pressure): a busy machine's timeouts and
//     slow steps may be the load's, not the subject's.
//   - The tally: "31 expectations: 27 passed, 3 failed, 1 skipped; 6 steps: 1–2 passed,
//     3 cut short, 4–6 not run", from the plan scenario.begin records and the assert.* and
//     step.* events.
//   - The timeline window: the events around the first cause, merged across sources on the
//     journal's clock, one line each (event_text.hpp), resource samples left out (counted).
//   - Each subject's last output lines up to the end of that window.
//
// A failure the journal does not hold (no journal: the runner died, or a harness error)
// is told from the result alone: its checks, or its message. Memory: bounded by the
// scenario's size (its expectations, steps and failures) and the options, never by the
// journal's: the journal is read by type-filtered scans and point lookups. Pure apart from
// reading the journal; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bbx/outcome.hpp"
#include "journal/event_log.hpp"

namespace bbx::report {

struct StoryOptions {
  std::size_t context = 20;    // events in the timeline window (about 3/4 before the cause)
  std::size_t tail_lines = 5;  // last output lines shown per subject
  std::size_t line_chars = 240;  // a window line's summary is cut there (with "…")
};

// One failure as the story tells it.
struct StoryFailure {
  CheckResult check;         // as journaled (assert.fail) or, without a journal, as in the result
  std::uint64_t seq = 0;     // its assert.fail event; 0 when known only from the result
  std::int64_t t_ns = 0;     // that event's time
  bool consequence = false;  // after a first cause that stops the run: likely caused by it
};

// What became of each planned step.
enum class StepState { passed, failed, cut_short, unfinished, not_run };
std::string to_string(StepState s);  // "passed", "failed", "cut short", "did not finish", "not run"

struct Tally {
  bool planned = false;          // the journal recorded the plan (scenario.begin)
  std::size_t expectations = 0;  // the scenario's `expect:` entries
  std::size_t passed = 0, failed = 0, skipped = 0, unchecked = 0;
  std::vector<StepState> steps;  // one per planned step, in order

  // "31 expectations: 27 passed, 3 failed, 1 skipped; 6 steps: 1–2 passed, 3 cut short, 4–6 not run"
  // ("1 not checked" when an expectation has no result; "6 steps passed" when all did).
  std::string text() const;
};

struct SubjectTail {
  std::string subject;
  std::uint64_t lines = 0;                // output lines it printed up to the window's end
  std::vector<std::uint64_t> seqs;        // the last ones' seqs
  std::vector<std::string> streams;       // their streams ("stdout", "stderr")
  std::vector<std::string> texts;         // and their text, without terminal escapes
};

struct FailureStory {
  Verdict verdict = Verdict::passed;
  std::string sentence;       // the first cause in one sentence, without time and seq
  std::uint64_t at_seq = 0;   // the event the first cause happened at (0: not in the journal)
  std::int64_t at_ns = 0;     // its time since the run started
  SourceLocation where;       // the scenario text it points at (step, expectation, subject), for annotations
  std::optional<StoryFailure> first;  // none for a harness error or interruption without checks
  std::vector<StoryFailure> others;   // every other failure, in journal order
  Tally tally;
  // scenario.end's CPU pressure: the share of the run's time some task on the machine waited
  // for a CPU (none: not journaled, or no journal).
  std::optional<double> cpu_pressure;

  std::vector<std::string> window;      // event_line of each event around at_seq
  std::uint64_t window_from = 0, window_to = 0;  // its first and last seq
  std::uint64_t journal_events = 0;     // the journal's length
  std::size_t window_left_out = 0;      // resource samples inside the window, not shown
  std::vector<SubjectTail> tails;       // each subject that printed, in first-output order
  std::uint64_t tails_to = 0;           // the tails end there: the window's end or the first failure's event

  std::string journal_note;  // why the journal was not read ("" when it was)

  // "at +0.734s (#48): <sentence>", or the sentence alone when at_seq is 0.
  std::string headline() const;
  std::size_t consequences() const;
};

// Tells the failure of `result` from `journal` (null: from the result alone). For a passed
// result the story has no first cause. Throws what the journal's reader throws only for a
// corrupt journal: callers that must not fail use the overload below.
FailureStory tell_failure(const ScenarioResult& result, const journal::EventLog* journal, const StoryOptions& options);

// Opens <result.dir>/events.jsonl (when there is one) and tells the failure; an unreadable or
// corrupt journal is noted in journal_note and the story told from the result. Never throws
// for a bad journal.
FailureStory tell_failure(const ScenarioResult& result, const StoryOptions& options);

}  // namespace bbx::report
