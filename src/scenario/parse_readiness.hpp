// A subject's `ready:` (listening ports, log regex, http, file, command; all or any).
// Internal to src/scenario.
#pragma once

#include <string>

#include <yaml-cpp/yaml.h>

#include "bbx/model/subjects.hpp"

namespace bbx::scenario {

// Throws bbx::Error (invalid_input) at the node.
model::Readiness parse_readiness(const YAML::Node& node, const std::string& path, const std::string& what);

}  // namespace bbx::scenario
