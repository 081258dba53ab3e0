// profile.html: a self-contained page (no external resource: its script, styles and data are
// inline; it opens offline) plotting resource profiles over time: CPU percent, memory (RSS,
// its peak, PSS when read), disk I/O rate, open fds, threads and processes; for one profile
// the tree's total and its top processes (by CPU, by peak RSS), for several inputs
// (`bbx profile --compare`) each input's total overlaid on one axis. Axes carry units; the
// cursor shows every line's value at its time. Above the plots, the table of peaks and
// totals (profile_compare.hpp: with differences when there are several inputs).
//
// The DOM the browser test reads: one `svg.plot[data-chart=ID]` per chart (cpu, memory, io,
// fds, threads) with one `path.line[data-label][data-points=N]` per line drawn, `#tooltip`
// (filled while the cursor is over a plot) and body[data-ready="1"] once drawn. Pure.
#pragma once

#include <string>
#include <vector>

#include "views/profile_compare.hpp"

namespace bbx::views {

// One group of plots per matched subject; inputs' labels name the lines when several.
std::string profile_html(const std::string& title, const std::vector<CompareInput>& inputs,
                         const std::vector<MatchedSubject>& subjects);

}  // namespace bbx::views
