#include "cli/selection.hpp"

#include <algorithm>

#include "bbx/error.hpp"
#include "scenario/loader.hpp"
#include "scenario/patterns.hpp"
#include "util/text.hpp"

namespace bbx::cli {

std::vector<OptionSpec> selection_options() {
  return {
      {"var", 0, true, "K=V", "set scenario variable K (overrides the file's vars:); repeatable"},
      {"filter", 0, true, "REGEX", "only scenarios whose id matches REGEX (searched; PCRE2 syntax, e.g. (?i) for any case)"},
      {"id", 0, true, "ID", "only the scenario whose id is exactly ID, e.g. 'name[k=v]' for a matrix variant (no regex escaping); repeatable"},
      {"tag", 0, true, "TAG", "only scenarios tagged TAG; repeatable (any of them)"},
      {"help", 'h', false, "", "show this help"},
  };
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
  std::optional<util::Regex> filter;
  if (auto f = args.value("filter")) filter = scenario::compile_pattern(*f, {}, "--filter");
  const auto& tags = args.all("tag");
  const auto& ids = args.all("id");
  std::vector<Scenario> out;
  for (auto& s : all) {
    if (filter && !filter->matches(s.id)) continue;
    if (!ids.empty() && std::find(ids.begin(), ids.end(), s.id) == ids.end()) continue;
    bool tagged = tags.empty();
    for (const auto& t : tags)
      for (const auto& st : s.tags) tagged = tagged || st == t;
    if (tagged) out.push_back(std::move(s));
  }
  if (out.empty()) {
    std::vector<std::string> names;
    for (const auto& p : paths) names.push_back(p.string());
    std::string why = all.empty() ? "no scenario file (*.yaml, *.yml) in " + util::join(names, ", ")
                                  : std::to_string(all.size()) + " scenario" + (all.size() == 1 ? "" : "s") + " in " +
                                        util::join(names, ", ") + ", none selected by --filter/--id/--tag";
    fail_input({}, "no scenario matches: " + why);
  }
  return out;
}

}  // namespace bbx::cli
