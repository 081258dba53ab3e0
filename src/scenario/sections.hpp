// The loader's parsers, one per top-level section of a scenario file, and the check of
// cross-references once every section is read. Internal to src/scenario. Each throws
// bbx::Error (invalid_input) at the first mistake, located as path:line:col.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bbx/error.hpp"
#include "bbx/scenario.hpp"

namespace bbx::scenario {

std::vector<model::Fake> parse_fakes(const YAML::Node& node, const std::string& path);
std::vector<model::Subject> parse_subjects(const YAML::Node& node, const std::string& path);
std::vector<model::Step> parse_steps(const YAML::Node& node, const std::string& path);
std::vector<model::Expectation> parse_expectations(const YAML::Node& node, const std::string& path);
model::CompareRules parse_compare(const YAML::Node& node, const std::string& path);

// Cross-references (fake/subject/mark names used by steps, expectations and events,
// `after:` edges, ${variables}). Throws at the first broken reference.
void check_references(const Scenario& scenario);

}  // namespace bbx::scenario
