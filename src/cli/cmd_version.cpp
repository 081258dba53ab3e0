// `bbx version`: prints "bbx VERSION".
#include <iostream>

#include "cli/command_table.hpp"

namespace bbx::cli {

namespace {

int version(const ParsedArgs&) {
  std::cout << "bbx " BBX_VERSION "\n";
  return 0;
}

}  // namespace

Command cmd_version() {
  return {"version", "print the version", "bbx version", "Prints 'bbx VERSION' (also `bbx --version`).\n",
          {{"help", 'h', false, "", "show this help"}}, version};
}

}  // namespace bbx::cli
