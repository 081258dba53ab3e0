// Parsing of the step kinds beyond http/signal/sleep. Internal to src/scenario.
#pragma once

#include <string>

#include "bbx/model/steps.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// `step` is the step's MapReader; `key` the action key present in it. Fills step.action
// and step.label. Throws bbx::Error (invalid_input) at the offending node.
void parse_more_step(const MapReader& step_map, const std::string& key, model::Step& step);

// The action keys parse_more_step handles.
const std::vector<std::string>& more_step_keys();

}  // namespace bbx::scenario
