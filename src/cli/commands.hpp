// The subcommand table: each command is {name, summary, usage, options, handler}. Handlers
// return the process exit code and throw bbx::Error for invalid input or harness failure;
// main() holds the one catch that turns those into messages and exit codes.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bbx/scenario.hpp"
#include "cli/args.hpp"

namespace bbx::cli {

struct Command {
  std::string name;
  std::string summary;   // one line for `bbx help`
  std::string usage;     // "bbx run [options] PATH..."
  std::string details;   // paragraphs after the usage in --help
  std::vector<OptionSpec> options;
  std::function<int(const ParsedArgs&)> handler;
};

const std::vector<Command>& commands();
std::string command_help(const Command& command);
std::string general_help();

// Options shared by every command that selects scenarios (run, validate, list).
std::vector<OptionSpec> selection_options();
// Loads the scenarios named by the positional paths (default: scenarios/), applies --var,
// --filter and --tag. Throws bbx::Error (invalid_input) on any invalid file.
std::vector<Scenario> select_scenarios(const ParsedArgs& args);

int run_command(const ParsedArgs& args);
int validate_command(const ParsedArgs& args);
int list_command(const ParsedArgs& args);

}  // namespace bbx::cli
