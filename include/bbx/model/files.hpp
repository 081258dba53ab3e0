// Sandbox files: written into the scenario's sandbox after the fakes bound and before the
// subjects start (so templates may use ${fakes.NAME.port}), and by `file:` steps.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// One change to a structured config file, addressed by a dotted path ("a.b.c").
struct ConfigEdit {
  enum class Op { set, remove };
  enum class Type { string, number, boolean, null, empty };
  Op op = Op::set;
  std::string key;          // dotted path
  Type type = Type::string;
  Template value;           // rendered, then converted to `type` (unused for null/empty/remove)
  SourceLocation where;
};

enum class FileFormat { automatic, json, yaml, ini, text };

struct SandboxFile {
  Template path;                       // relative to the sandbox
  enum class Source { content, copy, render } source = Source::content;
  Template content;                    // content: inline text (rendered with ${vars})
  std::string from;                    // copy/render: file relative to the scenario file
  FileFormat format = FileFormat::automatic;  // for edits; automatic = from the extension
  std::vector<ConfigEdit> edits;
  std::optional<int> mode;             // e.g. 0600
  SourceLocation where;
};

}  // namespace bbx::model
