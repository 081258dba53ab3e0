// `bbx list`: one line per selected scenario.
#include <iostream>

#include "cli/command_table.hpp"
#include "cli/selection.hpp"
#include "util/text.hpp"

namespace bbx::cli {

namespace {

int list(const ParsedArgs& args) {
  for (const auto& s : select_scenarios(args)) {
    std::cout << s.id;
    if (!s.tags.empty()) std::cout << "  [" << util::join(s.tags, ", ") << "]";
    std::cout << "  " << s.file.string() << "\n";
  }
  return 0;
}

}  // namespace

Command cmd_list() {
  return {"list", "list scenario ids and tags", "bbx list [options] [PATH...]",
          "Prints one line per scenario: its id, its tags and its file.\n", selection_options(), list};
}

}  // namespace bbx::cli
