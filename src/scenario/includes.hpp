// `include:` - shared fragments (vars, fakes, subjects, files, steps, expect) pulled into a
// scenario. A fragment may include others; paths are relative to the including file. Errors
// are located in the file they are in. Steps and expectations keep the include order (a
// fragment's own after those of the fragments it includes) and come before the including
// file's own. Internal to src/scenario.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bbx/scenario.hpp"

namespace bbx::scenario {

struct Included {
  std::map<std::string, std::string> vars;
  std::vector<model::Fake> fakes;
  std::vector<model::Subject> subjects;
  std::vector<model::SandboxFile> files;
  std::vector<model::Step> steps;
  std::vector<model::Expectation> expect;
};

// `node` is the value of an `include:` key (a path or a list of paths) in file `path`.
// Throws bbx::Error (invalid_input) on a missing file, a cycle ("include cycle: a.yaml ->
// b.yaml -> a.yaml") or any mistake inside a fragment.
Included load_includes(const YAML::Node& node, const std::string& path);

}  // namespace bbx::scenario
