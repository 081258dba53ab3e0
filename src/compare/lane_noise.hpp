// What varies inside one lane across a baseline's N runs, learned from them (baseline.hpp):
//
//   order noise  the items whose position moved: the lane of every run holds the same
//                multiset of items, but in some run an item stands elsewhere relative to
//                the others (collectd's plugin threads, nginx's master and worker writing to
//                one stream). Every item that is part of an edit between the first run's
//                order and another run's (a bounded Myers diff, sequence_diff.hpp) floats;
//                the rest keep the first run's order in every run (each run's matched items
//                are in the first run's order, so any subset of them is too), and a later
//                run is compared on that order, and on the floating items as a multiset.
//
//   value noise  tokens holding a digit that took other values: per group of items (a line's
//                template, log_templates.hpp; another item's head: "GET /x", a metric's name
//                and type) and token position (tokens at spaces), the values with a digit
//                each run had there; where they were not the same in every run (a worker's
//                pid, a memory figure, a latency, a graphite timestamp), every item of the
//                group with a digit there makes a shape with `<#>` in its place and its own
//                tokens everywhere else. A later item never seen is value noise when a shape
//                covers it (the same tokens, a token with a digit at every `<#>`). A number
//                that was the same in every run stays exact, as does every other token.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace bbx::compare {

// The hashes of the items whose position moved between runs[0] and any other run. Every run
// must hold the same multiset of hashes (the caller checks). Empty when the order never varied.
std::unordered_set<std::uint64_t> floating_items(const std::vector<std::vector<std::uint64_t>>& runs);

// One item of a lane for value_noise_shapes: its text and its group (a line's template,
// another item's head).
struct NoisyItem {
  std::string_view text, group;
};

// The value-noise shapes of one lane from its items in each run (runs[r] lists run r's items,
// each distinct text once or as often as it came), sorted and distinct: "worker <#> started".
std::vector<std::string> value_noise_shapes(const std::vector<std::vector<NoisyItem>>& runs);

// Whether shape (from value_noise_shapes) covers line.
bool shape_covers(std::string_view shape, std::string_view line);

}  // namespace bbx::compare
