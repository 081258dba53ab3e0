#include "cli/help.hpp"

namespace bbx::cli {

std::string command_help(const Command& c) {
  return "usage: " + c.usage + "\n\n" + c.summary + ".\n\n" + c.details + "\noptions:\n" + options_help(c.options);
}

std::string general_help() {
  std::string out = "bbx " BBX_VERSION " - black-box scenario tests for daemons\n\nusage: bbx <command> [options]\n\ncommands:\n";
  for (const auto& c : commands()) {
    std::string name = "  " + c.name;
    name.resize(14, ' ');
    out += name + c.summary + "\n";
  }
  out += "\nRun `bbx COMMAND --help` for a command's options.\n";
  return out;
}

}  // namespace bbx::cli
