// The subcommand table. Each subcommand lives in src/cli/cmd_NAME.cpp, which defines
// `Command cmd_NAME()`: its name, summary, usage, help text, options and handler. Adding
// one is that file and one line in BBX_COMMANDS.
//
// Handlers return the process exit code and throw bbx::Error for invalid input or harness
// failure; main() holds the one catch that turns those into messages and exit codes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/args.hpp"

// Every subcommand, in the order `bbx help` lists them.
#define BBX_COMMANDS(X) \
  X(run)                \
  X(validate)           \
  X(list)               \
  X(timeline)           \
  X(merge)              \
  X(diff)               \
  X(profile)            \
  X(help)               \
  X(version)

namespace bbx::cli {

struct Command {
  std::string name;
  std::string summary;   // one line for `bbx help`
  std::string usage;     // "bbx run [options] PATH..."
  std::string details;   // paragraphs after the usage in --help
  std::vector<OptionSpec> options;  // every one is documented by --help (help.hpp)
  std::function<int(const ParsedArgs&)> handler;
};

#define BBX_DECLARE_COMMAND(name) Command cmd_##name();
BBX_COMMANDS(BBX_DECLARE_COMMAND)
#undef BBX_DECLARE_COMMAND

// Every command of BBX_COMMANDS, in that order; built on first use.
const std::vector<Command>& commands();

// The command called `name`. Throws bbx::Error (invalid_input) for any other name, naming
// the closest command when one is a plausible typo, and every known command.
const Command& find_command(const std::string& name);

}  // namespace bbx::cli
