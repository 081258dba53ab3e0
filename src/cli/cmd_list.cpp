// `bbx list`: one line per selected scenario; with --json one JSON object per line (for
// tools: the CMake helper bbx_add_scenarios registers each as a CTest test from it).
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/command_table.hpp"
#include "cli/selection.hpp"
#include "util/text.hpp"

namespace bbx::cli {

namespace {

int list(const ParsedArgs& args) {
  const bool json = args.flag("json");
  for (const auto& s : select_scenarios(args)) {
    if (json) {
      // Whole seconds, rounded up: the scenario's `timeout:` bounds its run.
      auto timeout_s = std::chrono::ceil<std::chrono::seconds>(s.timeout).count();
      std::cout << nlohmann::json{{"id", s.id},
                                  {"file", s.file.string()},
                                  {"tags", s.tags},
                                  {"timeout_s", timeout_s}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      continue;
    }
    std::cout << s.id;
    if (!s.tags.empty()) std::cout << "  [" << util::join(s.tags, ", ") << "]";
    std::cout << "  " << s.file.string() << "\n";
  }
  return 0;
}

std::vector<OptionSpec> list_options() {
  auto opts = selection_options();
  opts.insert(opts.begin(), {"json", 0, false, "", "one JSON object per line: {id, file, tags, timeout_s (whole seconds)}"});
  return opts;
}

}  // namespace

Command cmd_list() {
  return {"list", "list scenario ids and tags", "bbx list [options] [PATH...]",
          "Prints one line per scenario: its id, its tags and its file; with --json one JSON object\n"
          "per line ({\"id\", \"file\", \"tags\", \"timeout_s\"}), for tools.\n",
          list_options(), list};
}

}  // namespace bbx::cli
