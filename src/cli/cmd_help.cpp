// `bbx help [COMMAND]`: the general help, or one command's (as `bbx COMMAND --help`).
#include <iostream>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"
#include "cli/help.hpp"

namespace bbx::cli {

namespace {

int help(const ParsedArgs& args) {
  if (args.positional.size() > 1) fail_input({}, "help: expected at most one COMMAND");
  if (args.positional.empty()) std::cout << general_help();
  else std::cout << command_help(find_command(args.positional[0]));
  return 0;
}

}  // namespace

Command cmd_help() {
  return {"help", "show this help, or `bbx help COMMAND`", "bbx help [COMMAND]",
          "Without COMMAND, lists the commands; with one, prints its usage and every option\n"
          "(the same as `bbx COMMAND --help`). An unknown COMMAND is invalid input (exit 2).\n",
          {{"help", 'h', false, "", "show this help"}}, help};
}

}  // namespace bbx::cli
