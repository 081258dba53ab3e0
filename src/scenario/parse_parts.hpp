// The loader's parts, one per top-level section. Internal to src/scenario.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "bbx/error.hpp"
#include "bbx/scenario.hpp"
#include "scenario/variables.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

std::vector<model::Fake> parse_fakes(const YAML::Node& node, const std::string& path);
std::vector<model::Subject> parse_subjects(const YAML::Node& node, const std::string& path);
std::vector<model::Step> parse_steps(const YAML::Node& node, const std::string& path);
std::vector<model::Expectation> parse_expectations(const YAML::Node& node, const std::string& path);

// Cross-references (fake/subject names used by steps and expectations, `after:` edges,
// ${variables}). Throws at the first broken reference.
void check_references(const Scenario& scenario);

// The checks of files, command/wait/file steps (references_more.cpp); called by
// check_references() with what the scenario defines.
void check_more_references(const Scenario& scenario, const KnownNames& known);

// The generic TCP fake (parse_fakes_tcp.cpp): `tcp: {framing, max_message}` options from
// the kind's mapping (its port and host are the caller's), then `greeting:` and `replies:`
// from the fake's own mapping. parse_fakes() refuses those two keys on other kinds.
void parse_tcp_options(const MapReader& kind, model::TcpFakeSpec& tcp);
void parse_tcp_script(const MapReader& fake_map, model::TcpFakeSpec& tcp);

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
