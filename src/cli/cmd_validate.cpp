// `bbx validate`: loads the selected scenarios without running them.
#include <iostream>

#include "cli/command_table.hpp"
#include "cli/selection.hpp"

namespace bbx::cli {

namespace {

int validate(const ParsedArgs& args) {
  auto scenarios = select_scenarios(args);
  std::cout << scenarios.size() << " scenario" << (scenarios.size() == 1 ? "" : "s") << " valid\n";
  return 0;
}

}  // namespace

Command cmd_validate() {
  return {"validate", "check scenario files without running them", "bbx validate [options] [PATH...]",
          "Loads and validates every scenario; prints 'path:line:col: message' for the first\n"
          "mistake and exits 2, or prints how many scenarios are valid and exits 0.\n",
          selection_options(), validate};
}

}  // namespace bbx::cli
