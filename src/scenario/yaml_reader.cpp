#include "scenario/yaml_reader.hpp"

#include <set>

#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

SourceLocation location_of(const YAML::Node& node, const std::string& path) {
  if (!node.IsDefined()) return {path, 0, 0};
  auto mark = node.Mark();
  if (mark.is_null()) return {path, 0, 0};
  return {path, mark.line + 1, mark.column + 1};
}

YAML::Node load_yaml_text(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    fail_input({path, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
}

YAML::Node load_yaml_file(const std::string& path) {
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    fail_input({path}, "cannot read file");
  } catch (const YAML::ParserException& e) {
    fail_input({path, e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
  }
}

std::string unknown_key_message(const std::string& key, const std::vector<std::string>& allowed) {
  std::string guess = util::closest_match(key, allowed);
  if (!guess.empty()) return "unknown key '" + key + "'; did you mean '" + guess + "'?";
  return "unknown key '" + key + "' (expected one of: " + util::join(allowed, ", ") + ")";
}

static const char* type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "a scalar";
    case YAML::NodeType::Null: return "null";
    default: return "nothing";
  }
}

// "expect[0].log" -> "log": the kind of a list entry, as the messages name it.
static std::string kind_of(const std::string& what) { return what.substr(what.rfind('.') + 1); }

MapReader::MapReader(const YAML::Node& node, const std::string& path, std::string what,
                     std::vector<std::string> allowed)
    : node_(node), path_(path), what_(std::move(what)) {
  if (!node.IsMap())
    fail_input(location_of(node, path), what_ + ": expected a mapping, got " + type_name(node));
  std::set<std::string> seen;
  for (const auto& kv : node) {
    auto key = kv.first.as<std::string>();
    if (!seen.insert(key).second)
      fail_input(location_of(kv.first, path), what_ + ": duplicate key '" + key + "'");
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known && key == "when" && what_.find('.') != std::string::npos && what_.find('[') != std::string::npos)
      fail_input(location_of(kv.first, path), what_ + ": 'when:' goes on the list entry, beside '" + kind_of(what_) +
                                                  ":', not inside it: `- {" + kind_of(what_) + ": {...}, when: {KEY: VALUE}}`");
    if (!known) fail_input(location_of(kv.first, path), what_ + ": " + unknown_key_message(key, allowed));
  }
}

bool MapReader::has(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.as<std::string>() == key) return true;
  return false;
}

YAML::Node MapReader::node(std::string_view key) const {
  for (const auto& kv : node_)
    if (kv.first.as<std::string>() == key) return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

SourceLocation MapReader::where() const { return location_of(node_, path_); }

SourceLocation MapReader::where(std::string_view key) const {
  auto n = node(key);
  return n.IsDefined() ? location_of(n, path_) : where();
}

std::string scalar_string(const YAML::Node& node, const std::string& path, const std::string& what) {
  if (!node.IsScalar())
    fail_input(location_of(node, path), what + ": expected a string, got " + type_name(node));
  return node.Scalar();
}

model::Template scalar_template(const YAML::Node& node, const std::string& path, const std::string& what) {
  return {scalar_string(node, path, what), location_of(node, path)};
}

std::string MapReader::required_string(std::string_view key) const {
  if (!has(key)) fail_input(where(), what_ + ": missing '" + std::string(key) + "'");
  return *string(key);
}

std::optional<std::string> MapReader::string(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return scalar_string(node(key), path_, what_ + "." + std::string(key));
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, std::int64_t min,
                                               std::int64_t max) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto range = util::parse_count(*text);
  std::string label = what_ + "." + std::string(key);
  if (!range || range->min != range->max || range->not_equal)
    fail_input(where(key), label + ": expected an integer, got '" + *text + "'");
  if (range->min < min || range->min > max)
    fail_input(where(key), label + ": " + *text + " is out of range " + std::to_string(min) + ".." +
                               std::to_string(max));
  return range->min;
}

std::optional<model::IntField> MapReader::int_field(std::string_view key, std::int64_t min,
                                                    std::int64_t max) const {
  if (!has(key)) return std::nullopt;
  std::string label = what_ + "." + std::string(key);
  auto text = text_template(key);
  if (text->text.find("${") != std::string::npos) return model::IntField{0, std::move(text), min, max, label};
  return model::IntField{*integer(key, min, max), std::nullopt, min, max, label};
}

std::optional<bool> MapReader::boolean(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  fail_input(where(key), what_ + "." + std::string(key) + ": expected true or false, got '" + *text + "'");
}

std::optional<model::Duration> MapReader::duration(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto d = util::parse_duration(*text);
  if (!d)
    fail_input(where(key), what_ + "." + std::string(key) + ": invalid duration '" + *text +
                               "' (use a number with a unit: 250ms, 2s, 1m)");
  return *d;
}

std::optional<model::Count> MapReader::count(std::string_view key) const {
  auto text = string(key);
  if (!text) return std::nullopt;
  auto r = util::parse_count(*text);
  if (!r)
    fail_input(where(key), what_ + "." + std::string(key) + ": invalid count '" + *text +
                               "' (use 3, '>= 1', '< 5' or 1..3)");
  return model::Count{r->min, r->max, r->not_equal, *text};
}

std::optional<model::Template> MapReader::text_template(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return scalar_template(node(key), path_, what_ + "." + std::string(key));
}

std::vector<std::string> MapReader::string_list(std::string_view key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  auto n = node(key);
  std::string label = what_ + "." + std::string(key);
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) fail_input(where(key), label + ": expected a list of strings");
  for (const auto& item : n) out.push_back(scalar_string(item, path_, label));
  return out;
}

}  // namespace bbx::scenario
