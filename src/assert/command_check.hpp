// `command:` expectations: run a command now (argv, no shell, cwd = the sandbox, the
// subjects' clean environment) and check its exit status and output.
//
// The command runs through process::run_to_completion (source kind "probe", name
// "command"); past `timeout` it is SIGKILLed and the check fails as "timed out".
#pragma once

#include <string>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "runtime/run_context.hpp"

namespace bbx::assertions {

// What a command did.
struct CommandRun {
  bool started = false;
  std::string error;    // why it did not start, or "timed out after 1s"
  std::string status;   // "exited with code 0", "killed by SIGKILL"
  int exit_code = -1;   // -1 unless it exited normally
  std::string out, err; // output lines, '\\n'-joined
  std::uint64_t exit_seq = 0;
};

CommandRun run_command(runtime::RunContext& ctx, const model::CommandExpectation& spec);

// Pure verdict over what the command did; spec.exit_code holds the code itself (its ${...}
// resolved by RunValues::expand_integer).
CheckResult judge_command(const model::CommandExpectation& spec, const std::string& argv_text, const CommandRun& run,
                          const SourceLocation& where);

}  // namespace bbx::assertions
