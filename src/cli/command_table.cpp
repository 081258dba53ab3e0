#include "cli/command_table.hpp"

#include "bbx/error.hpp"
#include "util/text.hpp"

namespace bbx::cli {

const std::vector<Command>& commands() {
#define BBX_COMMAND_ENTRY(name) cmd_##name(),
  static const std::vector<Command> table = {BBX_COMMANDS(BBX_COMMAND_ENTRY)};
#undef BBX_COMMAND_ENTRY
  return table;
}

const Command& find_command(const std::string& name) {
  std::vector<std::string> names;
  for (const auto& c : commands()) {
    if (c.name == name) return c;
    names.push_back(c.name);
  }
  std::string guess = util::closest_match(name, names);
  fail_input({}, "unknown command '" + name + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?") +
                     " (commands: " + util::join(names, ", ") + ")");
}

}  // namespace bbx::cli
