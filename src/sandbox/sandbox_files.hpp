// Writing sandbox files (`files:` and `file:` steps): render the path, take the content
// (inline, copied or a rendered template; or the file's current content when only
// `edits:` are given), apply edits, write, chmod, and journal `file.write`.
#pragma once

#include "bbx/model/files.hpp"
#include "runtime/run_context.hpp"

namespace bbx::sandbox {

// Throws bbx::Error (scenario) with a user-facing reason when the file cannot be produced
// (unreadable source, invalid JSON/YAML to edit, a value of the wrong type, I/O error).
void write_sandbox_file(runtime::RunContext& ctx, const model::SandboxFile& file);

}  // namespace bbx::sandbox
