// Typed, located access to a parsed YAML document. Every failure throws bbx::Error
// (invalid_input) at the position of the offending node, phrased for the user and naming
// the fix where one is known ("unknown key 'respnd'; did you mean 'respond'?").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bbx/model/common.hpp"

namespace bbx::scenario {

// Where a node is in the file (1-based line and column).
SourceLocation location_of(const YAML::Node& node, const std::string& path);

// Loads a YAML file of one document. Every problem is an input error at its place: a path
// that is not a readable regular file (a FIFO is refused, never opened), a file over
// kMaxYamlFileBytes, bytes that are not UTF-8 (path:line:col of the first), a syntax error
// ("YAML syntax: ..."), a second document after `---`, and a document that holds, with every
// alias (`*name`) expanded, more than kMaxExpandedValues values (mappings, lists, scalars) or
// kMaxExpandedBytes bytes of scalar text: reading it would copy each alias once per use, so a
// few KB could become gigabytes. Checked in one walk that visits each anchored node once.
inline constexpr std::size_t kMaxYamlFileBytes = 16u << 20;
inline constexpr std::size_t kMaxExpandedValues = 1'000'000;
inline constexpr std::size_t kMaxExpandedBytes = 64u << 20;
YAML::Node load_yaml_file(const std::string& path);
YAML::Node load_yaml_text(const std::string& text, const std::string& path);

// The text of a mapping key; an input error at the key when it is not a scalar (YAML's
// `? [a, b]` and `{a: 1}: 2` keys).
std::string key_text(const YAML::Node& key, const std::string& path);

// A mapping whose keys are checked against a fixed set when constructed.
class MapReader {
 public:
  // Throws unless node is a mapping whose keys are all in `allowed`, each at most once.
  // `what` names the mapping in messages ("fake 'api'", "step 2").
  MapReader(const YAML::Node& node, const std::string& path, std::string what,
            std::vector<std::string> allowed);

  bool has(std::string_view key) const;
  YAML::Node node(std::string_view key) const;   // null node when absent
  SourceLocation where() const;                   // the mapping itself
  SourceLocation where(std::string_view key) const;  // the value at key (or the mapping)
  const std::string& path() const { return path_; }
  const std::string& what() const { return what_; }

  // Required values: throw "<what>: missing 'key'" when absent.
  std::string required_string(std::string_view key) const;
  // Optional values: std::nullopt when absent; a wrong type throws.
  std::optional<std::string> string(std::string_view key) const;
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  // An integer in [min, max], or text with ${...} expanded by the runner (model::IntField).
  std::optional<model::IntField> int_field(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::optional<bool> boolean(std::string_view key) const;
  std::optional<model::Duration> duration(std::string_view key) const;
  std::optional<model::Count> count(std::string_view key) const;
  std::optional<model::Template> text_template(std::string_view key) const;
  std::vector<std::string> string_list(std::string_view key) const;  // a string or a list

 private:
  YAML::Node node_;
  std::string path_;
  std::string what_;
};

// Scalar conversions for nodes that are not under a MapReader.
std::string scalar_string(const YAML::Node& node, const std::string& path, const std::string& what);
model::Template scalar_template(const YAML::Node& node, const std::string& path, const std::string& what);

// "unknown key 'x'; did you mean 'y'?" or "unknown key 'x' (expected one of: a, b)".
std::string unknown_key_message(const std::string& key, const std::vector<std::string>& allowed);

}  // namespace bbx::scenario
