// ${...} variables in scenario text.
//
// Names: fakes.NAME.port|host|url, subjects.NAME.pid, sandbox, scenario.name, scenario.id,
// env.X, vars.X (scenario vars, matrix values and --var), and a bare X as short for vars.X.
// "$${" writes a literal "${".
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::scenario {

// The variable names referenced in text, in order. Throws bbx::Error (invalid_input) at
// `where` for an unterminated "${" or an empty name.
std::vector<std::string> referenced_variables(const model::Template& text);

// What a scenario defines, for checking references before anything runs.
struct KnownNames {
  std::set<std::string> fakes;
  std::set<std::string> subjects;
  std::set<std::string> vars;
  std::set<std::string> captures;  // ${captures.NAME} defined by the steps before (all, for expectations)
};

// Throws bbx::Error (invalid_input) at the template's location naming the first unknown
// variable, with a suggestion when one is close.
void check_variables(const model::Template& text, const KnownNames& known);

using VariableLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Replaces every ${name} by lookup(name). A name the lookup cannot answer throws
// bbx::Error (invalid_input) at the template's location.
std::string expand(const model::Template& text, const VariableLookup& lookup);

// The integer an IntField stands for: its literal, or its text expanded by lookup. Throws
// bbx::Error (invalid_input) at the text's location when the expansion is not an integer in
// [f.min, f.max]: "<label>: '${p}' is 'http', not an integer".
std::int64_t expand_integer(const model::IntField& f, const VariableLookup& lookup);

}  // namespace bbx::scenario
