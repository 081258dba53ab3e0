// `matrix:` - one scenario file expanding into variants - and `when:` filters that keep a
// list entry (step, expectation, file, edit, ...) only in matching variants.
//
//   matrix: {a: [x, y], b: [1, 2]}       cartesian product, keys in written order
//   matrix: [{a: x, b: 1}, {a: y, b: 2}] listed variants (every entry has the same keys)
//
// A variant's id is "name[a=x,b=1]". Internal to src/scenario.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bbx/error.hpp"

namespace bbx::scenario {

struct MatrixVariant {
  std::vector<std::pair<std::string, std::string>> values;  // in key order
  SourceLocation where;
};

struct Matrix {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<std::string>> values;  // every value each key takes
  std::vector<MatrixVariant> variants;                     // empty = no matrix
};

constexpr std::size_t kMaxVariants = 256;

// Throws bbx::Error (invalid_input) at the offending node: not a mapping/list, bad key
// names, empty or non-scalar values, unequal key sets, too many variants, clashing ids.
Matrix parse_matrix(const YAML::Node& node, const std::string& path, const std::string& scenario_name);

// "name" or "name[a=x,b=1]".
std::string variant_id(const std::string& name, const MatrixVariant& variant);

// Walks the document (in place): a list entry that is a mapping with `when:` is removed
// unless `variant` matches it, and its `when:` key is removed otherwise. Validates every
// `when:` against the matrix (unknown keys or values throw), whatever the variant.
void apply_when(YAML::Node root, const Matrix& matrix, const MatrixVariant* variant, const std::string& path);

}  // namespace bbx::scenario
