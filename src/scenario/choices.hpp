// Values chosen by name in a scenario file: an enum spelled as a word, a signal. Internal to
// src/scenario.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bbx/error.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

// The value named by map[key] among (name, value) choices; an unknown name fails at the
// node with "unknown KEY 'x'; did you mean 'y'?" (or the list of names).
template <class T>
T parse_choice(const MapReader& m, const std::string& key, const std::vector<std::pair<std::string, T>>& names) {
  auto given = *m.string(key);
  std::vector<std::string> all;
  for (const auto& [n, v] : names) {
    if (n == given) return v;
    all.push_back(n);
  }
  std::string guess = util::closest_match(given, all);
  fail_input(m.where(key), m.what() + "." + key + ": unknown " + key + " '" + given + "'" +
                               (guess.empty() ? " (expected one of: " + util::join(all, ", ") + ")"
                                              : "; did you mean '" + guess + "'?"));
}

// "HUP", "SIGTERM", 15 -> number; throws at the node otherwise.
int parse_signal(const MapReader& map, std::string_view key, int fallback);

}  // namespace bbx::scenario
