// Command-line parsing for subcommands: "--name value", "--name=value", "-j 2", "-j2", flags,
// repeatable options and positional arguments. Mistakes throw bbx::Error (invalid_input)
// naming the option and, for unknown ones, the closest known option.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace bbx::cli {

struct OptionSpec {
  std::string name;        // "jobs" for --jobs
  char short_name = 0;     // 'j' for -j, 0 for none
  bool takes_value = false;
  std::string value_name;  // "N" in "--jobs N"
  std::string help;
};

struct ParsedArgs {
  std::map<std::string, std::vector<std::string>> values;  // option -> every value given
  std::vector<std::string> positional;
  std::string program = "bbx";  // how bbx was invoked (argv[0]), for commands it prints

  bool flag(const std::string& name) const { return values.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;  // the last one given
  const std::vector<std::string>& all(const std::string& name) const;
  int integer(const std::string& name, int fallback, int min, int max) const;
};

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs);
// The options block of a command's --help.
std::string options_help(const std::vector<OptionSpec>& specs);

}  // namespace bbx::cli
