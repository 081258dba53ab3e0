// Parsing of sandbox `files:` entries (also used by `file:` steps). Internal to src/scenario
// and src/runner.
#pragma once

#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bbx/model/files.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// Throws bbx::Error (invalid_input) at the offending node. copy/template sources must
// exist (relative to the scenario file's folder).
model::SandboxFile parse_sandbox_file(const YAML::Node& node, const std::string& path, const std::string& what);
std::vector<model::SandboxFile> parse_files(const YAML::Node& node, const std::string& path);

// The format edits use: the explicit one, else from the rendered path's extension.
model::FileFormat format_for(const model::SandboxFile& f, const std::string& rendered_path);

}  // namespace bbx::scenario
