// From a subject definition to the request that starts it under its subreaper shim.
// Internal to src/process.
#pragma once

#include <string>
#include <vector>

#include "bbx/model/subjects.hpp"
#include "process/spawn.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

struct PreparedCommand {
  SpawnRequest request;           // executable = bbx itself, args = __supervise -- EXE ARGS...
  std::vector<std::string> argv;  // the subject's own argv, variables expanded
  std::string executable;         // its resolved executable
};

// Expands variables, resolves the executable (or /bin/sh for `shell:`), builds the clean
// environment (PATH, HOME=sandbox, LANG, TZ, then `env:`), opens `stdin:` (request.stdin_fd,
// owned by the caller) and copies umask and rlimits. Throws std::runtime_error with a message
// for the user ("cannot start subject 'app': 'x' not found ...") when it cannot.
PreparedCommand prepare_command(runtime::RunContext& ctx, const model::Subject& subject);

// RLIMIT_* for a scenario name (nofile, core, nproc, as, fsize, cpu, stack); -1 if unknown.
int rlimit_resource(const std::string& name);

}  // namespace bbx::process
