// Help texts, built from the command table so that every command and every option is
// documented: `bbx help` (general_help) and `bbx help COMMAND` / `bbx COMMAND --help`
// (command_help).
#pragma once

#include <string>

#include "cli/command_table.hpp"

namespace bbx::cli {

// Usage, summary, details and one line per option of the command.
std::string command_help(const Command& command);
// The version, usage and one line per command of the table.
std::string general_help();

}  // namespace bbx::cli
