// Compares two runs of one scenario: their profiles (run_profile.hpp) in three layers
// (difference.hpp). Layer 1, behaviour: outcomes key by key; sequence lanes by a bounded
// Myers diff (a run of changes is one difference, a removed and an added item with the same
// head are one changed item); multiset lanes by count per item (+n / -n per key, items with
// the same head paired as changed), then by order when both hold the same items; layer 2,
// counts, key by key, a line template seen on one side only standing out; layer 3, numbers
// beyond both the absolute threshold of their unit and the relative one.
#pragma once

#include <filesystem>
#include <string_view>

#include "compare/difference.hpp"
#include "compare/run_profile.hpp"

namespace bbx::compare {

// When two numbers differ: by more than the absolute threshold of their unit AND by more
// than `relative` of the first. Against a baseline (baseline.hpp) both are floors of the
// learned interval. The time floor is above the scheduling stalls of a loaded 2-core CI
// machine (steps and readiness 100 to 170 ms late were measured there: bench/compare.sh)
// and below the slowdowns worth reporting (a readiness 300 ms slower).
struct Thresholds {
  double relative = 0.5;
  double time_ns = 250e6;
  double bytes = 16.0 * (1 << 20);
  double count = 10;
  double value = 0;
  // Elapsed times of a side (or run) made on a busier machine (scenario.end cpu_pressure) are
  // judged against what that machine explains (docs/comparing-runs.md, "A busier machine");
  // false: as measured (`--ignore-cpu-pressure`).
  bool use_cpu_pressure = true;
  double absolute(Unit unit) const;
};

// "--threshold" values: "25%" (relative), "50ms" / "1.5s" (time), "8MiB" / "512KiB" / "10MB"
// (bytes), "3" (counts). Throws bbx::Error (invalid_input) naming the value.
void parse_threshold(std::string_view text, Thresholds& t);

const char* unit_name(Unit unit);

// How messages call the two sides: "(0 in A, 2 in B)", or against a baseline
// "(0 in the baseline, 2 in this run)".
struct Sides {
  std::string a = "A", b = "B";
};

// Compares a with b. Reads either journal again for texts it did not keep (fetch_texts).
ScenarioDiff diff_profiles(RunProfile& a, RunProfile& b, const Thresholds& thresholds, const Sides& sides = {});

// Builds both profiles (on two threads), learns their line templates together, counts each
// side's lines (on two threads again) and compares them. Throws what build_profile throws.
ScenarioDiff diff_journals(const std::filesystem::path& a, const std::filesystem::path& b, const Thresholds& thresholds);

// What changed between two identity texts of one head, field by field:
// `headers: + X-Client: v2; body: "a" -> "b"`.
std::string describe_change(std::string_view a, std::string_view b);

}  // namespace bbx::compare
