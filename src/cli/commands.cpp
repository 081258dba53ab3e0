#include "cli/commands.hpp"

#include <regex>

#include "scenario/loader.hpp"

namespace bbx::cli {

std::vector<OptionSpec> selection_options() {
  return {
      {"var", 0, true, "K=V", "set scenario variable K (overrides the file's vars:); repeatable"},
      {"filter", 0, true, "REGEX", "only scenarios whose id matches REGEX (ECMAScript syntax)"},
      {"tag", 0, true, "TAG", "only scenarios tagged TAG; repeatable (any of them)"},
      {"help", 'h', false, "", "show this help"},
  };
}

static std::vector<OptionSpec> run_options() {
  auto opts = selection_options();
  opts.insert(opts.begin(), {
      {"jobs", 'j', true, "N", "run N scenarios at once, each in its own runner process (default 1)"},
      {"isolation", 0, true, "MODE", "auto (default), namespaces or none; see the Isolation section of README.md"},
      {"runs-dir", 0, true, "DIR", "where runs are written (default sandbox/runs)"},
      {"keep", 0, false, "", "keep every scenario's sandbox/, not only failed ones"},
      {"pause-on-fail", 0, false, "", "at a failure keep fakes and subjects running, print how to inspect them, wait for Enter (interactive terminals only, -j 1, refused when CI=true)"},
      {"junit", 0, true, "FILE", "also write JUnit XML to FILE (and to the run directory)"},
      {"color", 0, true, "WHEN", "auto (default), always or never"},
  });
  return opts;
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"run", "run scenarios and report", "bbx run [options] [PATH...]",
       "Runs every scenario found in PATHs (files, or directories searched for *.yaml and *.yml;\n"
       "default: scenarios/). Exit codes: 0 all passed, 1 a scenario failed, 2 invalid input,\n"
       "3 harness error, 130 interrupted.\n",
       run_options(), run_command},
      {"validate", "check scenario files without running them", "bbx validate [options] [PATH...]",
       "Loads and validates every scenario; prints 'path:line:col: message' for the first\n"
       "mistake and exits 2, or prints how many scenarios are valid and exits 0.\n",
       selection_options(), validate_command},
      {"list", "list scenario ids and tags", "bbx list [options] [PATH...]",
       "Prints one line per scenario: its id, its tags and its file.\n", selection_options(), list_command},
  };
  return table;
}

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
  out += "  help          show this help, or `bbx help COMMAND`\n  version       print the version\n";
  out += "\nRun `bbx COMMAND --help` for a command's options.\n";
  return out;
}

std::vector<Scenario> select_scenarios(const ParsedArgs& args) {
  scenario::LoadOptions load;
  for (const auto& kv : args.all("var")) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) fail_input({}, "--var: expected K=V, got '" + kv + "'");
    load.cli_vars[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  std::vector<std::filesystem::path> paths(args.positional.begin(), args.positional.end());
  if (paths.empty()) paths.push_back("scenarios");
  auto all = scenario::load_scenarios(paths, load);
  std::optional<std::regex> filter;
  if (auto f = args.value("filter")) {
    try {
      filter.emplace(*f);
    } catch (const std::regex_error& e) {
      fail_input({}, "--filter: invalid regular expression '" + *f + "': " + e.what());
    }
  }
  const auto& tags = args.all("tag");
  std::vector<Scenario> out;
  for (auto& s : all) {
    if (filter && !std::regex_search(s.id, *filter)) continue;
    bool tagged = tags.empty();
    for (const auto& t : tags)
      for (const auto& st : s.tags) tagged = tagged || st == t;
    if (tagged) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace bbx::cli
