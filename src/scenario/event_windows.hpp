// The journal events that orderings and windows name (log, request, metric, message, exit,
// step, mark) and the windows between two of them (`during`, `always`, `never`). Internal to
// src/scenario; defined in parse_expect_order.cpp.
#pragma once

#include <optional>
#include <string>

#include "bbx/model/expectations.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// One event matcher; throws bbx::Error (invalid_input) at the node.
model::EventMatch parse_event(const YAML::Node& node, const std::string& path, const std::string& what);
// `during: {from, to}`; nullopt when not given.
std::optional<model::Window> parse_window(const MapReader& m);
// `always:` / `never:` (a window, for live probes); nullopt when neither is given.
std::optional<model::SampledWindow> parse_sampled_window(const MapReader& m);
// Fails when a journal kind carries `always` / `never`, naming `during` instead.
void reject_sampled_window(const MapReader& m);

}  // namespace bbx::scenario
