// Applying `edits:` (set / remove by dotted path, typed values) to JSON, YAML and INI text.
// Pure functions of their input; throw bbx::Error (scenario) with a message fit for the user
// ("config.json is not valid JSON: ...", "'a.b': 'a' is not an object").
#pragma once

#include <string>
#include <vector>

#include "bbx/model/files.hpp"

namespace bbx::sandbox {

struct RenderedEdit {
  model::ConfigEdit::Op op;
  std::string key;                  // dotted path
  model::ConfigEdit::Type type;
  std::string value;                // rendered text (for string/number/boolean)
};

std::string edit_json(const std::string& text, const std::vector<RenderedEdit>& edits);
std::string edit_yaml(const std::string& text, const std::vector<RenderedEdit>& edits);
std::string edit_ini(const std::string& text, const std::vector<RenderedEdit>& edits);

}  // namespace bbx::sandbox
