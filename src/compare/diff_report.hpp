// The terminal report of a comparison: per scenario, its differences most significant
// first (behaviour, then counts, then numbers), each with where to look in the journals
// ("A #18, B #21": seqs, for `jq 'select(.seq==21)'` or the timeline), and the items
// involved. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compare/difference.hpp"

namespace bbx::compare {

struct ReportStyle {
  bool color = false;
  // Item lines shown per difference; the rest are counted ("… 12 more lines: --json and
  // --html show every one"), never silently dropped. 0: all.
  std::size_t detail_lines = 6;
  std::string a_name = "A", b_name = "B";  // how the two sides are called ("baseline")
};

// One block per scenario and a closing line: "3 scenarios compared: 1 differs, 2 same".
std::string diff_report(const std::vector<ScenarioDiff>& diffs, const ReportStyle& style);
// Only the block of one scenario (empty when it is the same).
std::string scenario_report(const ScenarioDiff& diff, const ReportStyle& style);

}  // namespace bbx::compare
