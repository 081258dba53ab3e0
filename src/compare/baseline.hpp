// Baselines: what N runs of each scenario did, learned from their journals, and a later run
// judged against it (`bbx run --repeat N --baseline-out FILE`, `bbx run --against FILE`).
//
// Learning reduces each run to a profile (run_profile.hpp) and keeps, per scenario:
//   outcomes  each key's value, or every value seen when the runs disagreed (noise);
//   lanes     the first run's items (normalised texts and heads) when every run had the
//             same ones (in order for sequence lanes, as a multiset otherwise; a lane of
//             requests whose order varied is kept as a multiset only); otherwise every
//             distinct item seen (noise: a later run fails only on an item never seen);
//   templates the log templates learned from all N runs' lines;
//   counts    each key's observed range (min..max over the runs, absent counting 0);
//   numbers   a robust distribution per key (stats.hpp: median, MAD, quartiles, n).
// The file is JSON (format "bbx-baseline", version 1; docs/comparing-runs.md), its object
// keys sorted and lists in a fixed order, so that two learnings of the same behaviour write
// the same file and a change reviews as a readable diff.
//
// Judging a run: layer 1 against the kept outcomes and lanes (the same rendering as
// `bbx diff`, the baseline as A, called "the baseline", the run "this run"); layer 2, counts outside their range; layer 3, numbers
// outside their distribution with the stated confidence (stats.hpp judge(), with the
// effect size), and only when the baseline has at least min_runs runs of the scenario:
// otherwise a note says so instead of guessing.
//
// Pure functions over files; thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/diff.hpp"
#include "compare/difference.hpp"

namespace bbx::compare {

inline constexpr int kBaselineVersion = 1;

struct BaselineOptions {
  double confidence = 0.99;   // of the interval numbers must fall in
  std::size_t min_runs = 5;   // fewer runs of a scenario: numbers are not judged
  Thresholds floors;          // absolute(unit) and relative (of the median): the smallest difference of a number that matters
};

// One scenario's runs: its id and the journals of its attempts.
struct ScenarioRuns {
  std::string id;
  std::vector<std::filesystem::path> journals;
};

// The baseline document for these scenarios (each with at least one journal). Throws what
// build_profile throws.
nlohmann::json learn_baseline(const std::vector<ScenarioRuns>& scenarios);

// Reads and checks a baseline file. Throws bbx::Error (invalid_input) naming the file when
// it cannot be read, is not JSON, or is not format bbx-baseline version 1.
nlohmann::json read_baseline(const std::filesystem::path& file);

// Judges the run of `id` whose journal is given against baseline (a read_baseline
// document; `source` names it in the report). A scenario the baseline does not hold is a
// difference (only_in_b). Throws what build_profile throws.
ScenarioDiff judge_run(const nlohmann::json& baseline, const std::string& source, const std::string& id,
                       const std::filesystem::path& journal, const BaselineOptions& options);

}  // namespace bbx::compare
