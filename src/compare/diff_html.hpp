// diff.html: a comparison as one self-contained page (no network: styles, script and data
// inline). The differences are embedded as the --json document (format bbx-diff) and drawn
// by the page's script: one section per scenario, differences most significant first with
// their layer, where, message, journal seqs and items (every one: nothing is cut), layer
// filters and a text filter. tests/integration/test_compare_html.cpp checks it in Chromium.
#pragma once

#include <string>
#include <vector>

#include "compare/difference.hpp"

namespace bbx::compare {

// The page for diffs of a (what A names) against b.
std::string diff_html(const std::vector<ScenarioDiff>& diffs, const std::string& a, const std::string& b,
                      const std::string& title = "bbx diff");

}  // namespace bbx::compare
