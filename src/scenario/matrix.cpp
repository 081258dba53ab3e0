#include "scenario/matrix.hpp"

#include <set>

#include "scenario/yaml_reader.hpp"
#include "util/text.hpp"

namespace bbx::scenario {

namespace {

bool valid_key(const std::string& k) {
  if (k.empty() || !(std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_')) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string matrix_value(const YAML::Node& n, const std::string& path, const std::string& key) {
  auto v = scalar_string(n, path, "matrix." + key);
  if (v.empty()) fail_input(location_of(n, path), "matrix." + key + ": values must not be empty");
  for (char c : v)
    if (c == ',' || c == '=' || c == '[' || c == ']')
      fail_input(location_of(n, path), "matrix." + key + ": value '" + v + "' may not contain , = [ or ]");
  return v;
}

std::string check_key(const YAML::Node& k, const std::string& path) {
  auto key = key_text(k, path);
  if (!valid_key(key))
    fail_input(location_of(k, path), "matrix: key '" + key + "' must be a name (letters, digits, _)");
  return key;
}

void cartesian(Matrix& m, const YAML::Node& node, const std::string& path) {
  for (const auto& kv : node) {
    auto key = check_key(kv.first, path);
    if (!kv.second.IsSequence() || kv.second.size() == 0)
      fail_input(location_of(kv.second, path), "matrix." + key + ": expected a non-empty list of values");
    m.keys.push_back(key);
    for (const auto& v : kv.second) {
      auto value = matrix_value(v, path, key);
      auto& vals = m.values[key];
      if (std::find(vals.begin(), vals.end(), value) != vals.end())
        fail_input(location_of(v, path), "matrix." + key + ": value '" + value + "' is listed twice");
      vals.push_back(value);
    }
  }
  std::size_t total = 1;
  for (const auto& k : m.keys) {
    total *= m.values[k].size();
    if (total > kMaxVariants)
      fail_input(location_of(node, path), "matrix: more than " + std::to_string(kMaxVariants) + " variants");
  }
  for (std::size_t i = 0; i < total; ++i) {
    MatrixVariant v{{}, location_of(node, path)};
    std::size_t rest = i;
    for (auto k = m.keys.rbegin(); k != m.keys.rend(); ++k) {
      const auto& vals = m.values[*k];
      v.values.insert(v.values.begin(), {*k, vals[rest % vals.size()]});
      rest /= vals.size();
    }
    m.variants.push_back(v);
  }
}

void listed(Matrix& m, const YAML::Node& node, const std::string& path) {
  if (node.size() > kMaxVariants)
    fail_input(location_of(node, path), "matrix: more than " + std::to_string(kMaxVariants) + " variants");
  for (std::size_t i = 0; i < node.size(); ++i) {
    const YAML::Node& entry = node[i];
    std::string what = "matrix[" + std::to_string(i) + "]";
    if (!entry.IsMap() || entry.size() == 0)
      fail_input(location_of(entry, path), what + ": expected a mapping of key: value");
    MatrixVariant v{{}, location_of(entry, path)};
    std::vector<std::string> keys;
    for (const auto& kv : entry) {
      auto key = check_key(kv.first, path);
      auto value = matrix_value(kv.second, path, key);
      keys.push_back(key);
      v.values.push_back({key, value});
      auto& vals = m.values[key];
      if (std::find(vals.begin(), vals.end(), value) == vals.end()) vals.push_back(value);
    }
    if (i == 0) m.keys = keys;
    else if (keys != m.keys)
      fail_input(v.where, what + ": keys " + util::join(keys, ", ") + " differ from the first variant's (" +
                              util::join(m.keys, ", ") + ")");
    m.variants.push_back(v);
  }
}

bool matches(const YAML::Node& when, const Matrix& m, const MatrixVariant* variant, const std::string& path) {
  if (m.variants.empty()) fail_input(location_of(when, path), "'when' needs a 'matrix:' in the scenario");
  if (!when.IsMap() || when.size() == 0)
    fail_input(location_of(when, path), "when: expected a mapping of matrix key: value (or list of values)");
  bool all = true;
  for (const auto& kv : when) {
    auto key = key_text(kv.first, path);
    auto it = m.values.find(key);
    if (it == m.values.end()) {
      auto guess = util::closest_match(key, m.keys);
      fail_input(location_of(kv.first, path), "when: unknown matrix key '" + key + "'" +
                                                  (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    std::vector<YAML::Node> wanted;
    if (kv.second.IsSequence()) for (const auto& x : kv.second) wanted.push_back(x);
    else wanted.push_back(kv.second);
    bool any = false;
    for (const auto& w : wanted) {
      auto value = scalar_string(w, path, "when." + key);
      if (std::find(it->second.begin(), it->second.end(), value) == it->second.end()) {
        auto guess = util::closest_match(value, it->second);
        fail_input(location_of(w, path), "when." + key + ": '" + value + "' is not a value of matrix key '" + key + "'" +
                                             (guess.empty() ? " (values: " + util::join(it->second, ", ") + ")"
                                                            : "; did you mean '" + guess + "'?"));
      }
      if (variant)
        for (const auto& [k, v] : variant->values) any = any || (k == key && v == value);
    }
    all = all && any;
  }
  return all;
}

const YAML::Node find_when(const YAML::Node& map) {
  for (const auto& kv : map)
    if (kv.first.IsScalar() && kv.first.Scalar() == "when") return kv.second;
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace

Matrix parse_matrix(const YAML::Node& node, const std::string& path, const std::string& name) {
  Matrix m;
  if (node.IsMap() && node.size() > 0) cartesian(m, node, path);
  else if (node.IsSequence() && node.size() > 0) listed(m, node, path);
  else fail_input(location_of(node, path), "matrix: expected a mapping of key: [values] or a list of variants");
  std::set<std::string> ids;
  for (const auto& v : m.variants)
    if (!ids.insert(variant_id(name, v)).second)
      fail_input(v.where, "matrix: variant id '" + variant_id(name, v) + "' is used twice");
  return m;
}

std::string variant_id(const std::string& name, const MatrixVariant& variant) {
  if (variant.values.empty()) return name;
  std::vector<std::string> parts;
  for (const auto& [k, v] : variant.values) parts.push_back(k + "=" + v);
  return name + "[" + util::join(parts, ",") + "]";
}

namespace {

// Marks of the mappings and lists already walked: an aliased node (`*name`) is the anchored
// node itself, at the anchor's mark, so each is walked once (an alias bomb stays linear).
using Walked = std::set<std::pair<int, int>>;

void apply_when(YAML::Node node, const Matrix& m, const MatrixVariant* variant, const std::string& path,
                Walked& walked) {
  if (!node.IsMap() && !node.IsSequence()) return;
  auto mark = node.Mark();
  if (!mark.is_null() && !walked.insert({mark.line, mark.column}).second) return;
  if (node.IsMap()) {
    for (auto kv : node) apply_when(kv.second, m, variant, path, walked);
    return;
  }
  for (std::size_t i = node.size(); i-- > 0;) {
    YAML::Node item = node[i];
    if (item.IsMap()) {
      YAML::Node when = find_when(item);
      if (when.IsDefined()) {
        bool keep = matches(when, m, variant, path);
        if (!keep) {
          node.remove(i);
          continue;
        }
        item.remove("when");
      }
    }
    apply_when(item, m, variant, path, walked);
  }
}

}  // namespace

void apply_when(YAML::Node node, const Matrix& m, const MatrixVariant* variant, const std::string& path) {
  Walked walked;
  apply_when(node, m, variant, path, walked);
}

}  // namespace bbx::scenario
