// Layer 2 counts of output and log lines (docs/comparing-runs.md): per lane and level
// ("subject 'app' stderr lines at level error") and per template ("subject 'app' stderr
// lines like 'request GET <*>'"), with the templates a TemplateMiner learned from the lines
// of every profile compared together. Pure but for the profiles and miner given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "compare/log_templates.hpp"
#include "compare/run_profile.hpp"

namespace bbx::compare {

// The cluster each distinct line joined when the miner learned it (text hash -> cluster id):
// its template once learning is over (a cluster's template only widens, so it still covers
// every line that joined it).
using LineClusters = boost::unordered_flat_map<std::uint64_t, std::size_t>;

// Teaches miner every distinct line of the profiles, sorted: the templates depend neither
// on hash order nor on which run came first. From kLinesSortedOnTwoThreads distinct lines
// on, the sort runs on two threads (the miner learns on the calling thread). Returns the
// cluster each line joined.
LineClusters learn_lines(const std::vector<const RunProfile*>& profiles, TemplateMiner& miner);
inline constexpr std::size_t kLinesSortedOnTwoThreads = 8192;
// Adds the line counts to profile.counts with the templates of `miner` and the clusters
// learn_lines gave, which must cover every line of the profile (a line they miss is matched
// against the templates instead). Each line item's head becomes its template. Only reads the
// miner and clusters: profiles may be counted on several threads with one of each.
void count_lines(RunProfile& profile, const TemplateMiner& miner, const LineClusters& clusters);

// The count keys of templates ("... lines like '...'") and levels start with the lane name
// and these words.
inline constexpr const char* kLinesLike = " lines like ";
inline constexpr const char* kLinesAtLevel = " lines at level ";

}  // namespace bbx::compare
