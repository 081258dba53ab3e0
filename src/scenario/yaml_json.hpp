// JSON values written in YAML (a route's `body_json`, an http step's `expect.json`).
// Internal to src/scenario.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace bbx::scenario {

// A JSON value written in YAML holds at most this many values (objects, arrays, scalars).
inline constexpr std::size_t kMaxJsonValues = 1'000'000;

// The JSON of a YAML value: mappings are objects, sequences arrays, `~`/`null` null; plain
// scalars that read as JSON numbers or booleans (also True/FALSE...) are those, every other
// scalar (quoted ones always) a string. At most kMaxJsonValues values, so aliases (`*name`,
// each a copy here) cannot blow it up: past it, an input error at the value (path:line:col).
nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& path);

}  // namespace bbx::scenario
