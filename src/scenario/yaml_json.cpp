#include "scenario/yaml_json.hpp"

#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

namespace {

// The JSON of a YAML value; `budget` values at most, so aliases (`*name`, each a copy here)
// cannot blow it up: past it, an input error at the value.
nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& path, std::size_t& budget) {
  if (budget == 0)
    fail_input(location_of(node, path), "more than " + std::to_string(kMaxJsonValues) +
                                            " JSON values once YAML aliases (*name) are expanded");
  --budget;
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : node) out[key_text(kv.first, path)] = yaml_to_json(kv.second, path, budget);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : node) out.push_back(yaml_to_json(v, path, budget));
    return out;
  }
  if (node.IsNull()) return nullptr;
  auto text = node.as<std::string>();
  if (node.Tag() != "!") {  // plain scalars: numbers and booleans as YAML reads them
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded() && (j.is_number() || j.is_boolean() || j.is_null())) return j;
    if (text == "True" || text == "TRUE") return true;
    if (text == "False" || text == "FALSE") return false;
  }
  return text;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node, const std::string& path) {
  std::size_t budget = kMaxJsonValues;
  return yaml_to_json(node, path, budget);
}

}  // namespace bbx::scenario
