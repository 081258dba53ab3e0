#include <iostream>

#include "cli/commands.hpp"
#include "util/text.hpp"

namespace bbx::cli {

int validate_command(const ParsedArgs& args) {
  auto scenarios = select_scenarios(args);
  std::cout << scenarios.size() << " scenario" << (scenarios.size() == 1 ? "" : "s") << " valid\n";
  return 0;
}

int list_command(const ParsedArgs& args) {
  for (const auto& s : select_scenarios(args)) {
    std::cout << s.id;
    if (!s.tags.empty()) std::cout << "  [" << util::join(s.tags, ", ") << "]";
    std::cout << "  " << s.file.string() << "\n";
  }
  return 0;
}

}  // namespace bbx::cli
