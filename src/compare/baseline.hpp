// Baselines: what N runs of each scenario did, learned from their journals, and a later run
// judged against it (`bbx run --repeat N --baseline-out FILE`, `bbx run --against FILE`).
//
// Learning reduces each run to a profile (run_profile.hpp) and keeps, per scenario:
//   outcomes  each key's value, or every value seen when the runs disagreed (noise);
//   lanes     the noise inside each lane first (lane_noise.hpp): numbers that took other
//             values masked as `<#>` (value noise), items whose position moved listed as
//             floating (order noise); then the first run's items (normalised texts and
//             heads) when every run had the same ones (in order for sequence lanes, as a
//             multiset otherwise; a lane of requests whose order varied is kept as a
//             multiset only); otherwise every distinct item seen (noise: a later run fails
//             only on an item never seen); at most max_items of them (kBaselineMaxItems);
//   templates the log templates learned from all N runs' lines;
//   counts    each key's observed range (min..max over the runs, absent counting 0),
//             judged with its spread as slack either way (a count that varied by k may vary
//             by k more);
//   numbers   a robust distribution per key (stats.hpp: median, MAD, quartiles, n).
// The file is JSON (format "bbx-baseline", version 2; docs/comparing-runs.md), its object
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

inline constexpr int kBaselineVersion = 2;
// The most items a baseline keeps of one lane (docs/comparing-runs.md, "Bounded baselines"):
// past it, a sequence keeps the count and SHA-256 of the rest; a multiset keeps each distinct
// item once with its count, the first max_items of them by text, and the count and SHA-256
// of the others; a varying lane the first max_items distinct items by text.
inline constexpr std::size_t kBaselineMaxItems = 1000;

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

// The baseline document for these scenarios (each with at least one journal), at most
// max_items items kept per lane. Throws what build_profile throws.
nlohmann::json learn_baseline(const std::vector<ScenarioRuns>& scenarios, std::size_t max_items = kBaselineMaxItems);

// Reads and checks a baseline file. Throws bbx::Error (invalid_input) naming the file when
// it cannot be read, is not JSON, or is not format bbx-baseline version 1 or 2 (version 1,
// written before lanes were bounded and noise within a lane learned, is read as a version 2
// without caps, value noise or floating items).
nlohmann::json read_baseline(const std::filesystem::path& file);

// Judges the run of `id` whose journal is given against baseline (a read_baseline
// document; `source` names it in the report). A scenario the baseline does not hold is a
// difference (only_in_b). Throws what build_profile throws.
ScenarioDiff judge_run(const nlohmann::json& baseline, const std::string& source, const std::string& id,
                       const std::filesystem::path& journal, const BaselineOptions& options);

}  // namespace bbx::compare
