#include "cli/args.hpp"

#include <charconv>

#include "bbx/error.hpp"
#include "util/text.hpp"

namespace bbx::cli {

std::optional<std::string> ParsedArgs::value(const std::string& name) const {
  auto it = values.find(name);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

const std::vector<std::string>& ParsedArgs::all(const std::string& name) const {
  static const std::vector<std::string> none;
  auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

int ParsedArgs::integer(const std::string& name, int fallback, int min, int max) const {
  auto v = value(name);
  if (!v) return fallback;
  int n = 0;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || ptr != v->data() + v->size() || n < min || n > max)
    fail_input({}, "--" + name + ": expected a number " + std::to_string(min) + ".." + std::to_string(max) + ", got '" +
                       *v + "'");
  return n;
}

static const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& arg) {
  for (const auto& s : specs) {
    if (arg.size() > 2 && arg.substr(2) == s.name) return &s;
    if (arg.size() == 2 && arg[0] == '-' && arg[1] == s.short_name && s.short_name) return &s;
  }
  return nullptr;
}

ParsedArgs parse_args(const std::vector<std::string>& args, const std::vector<OptionSpec>& specs) {
  ParsedArgs out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + long(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      out.positional.push_back(arg);
      continue;
    }
    std::optional<std::string> inline_value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      inline_value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg.size() > 2 && arg[1] != '-') {  // "-j2": a short option with its value attached
      if (const auto* attached = find_spec(specs, arg.substr(0, 2)); attached && attached->takes_value) {
        inline_value = arg.substr(2);
        arg = arg.substr(0, 2);
      }
    }
    const OptionSpec* spec = find_spec(specs, arg);
    if (!spec) {
      std::vector<std::string> names;
      for (const auto& s : specs) names.push_back("--" + s.name);
      std::string guess = util::closest_match(arg, names);
      fail_input({}, "unknown option '" + arg + "'" + (guess.empty() ? "" : "; did you mean '" + guess + "'?"));
    }
    if (!spec->takes_value) {
      if (inline_value) fail_input({}, "option '--" + spec->name + "' takes no value");
      out.values[spec->name].push_back("");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) fail_input({}, "option '--" + spec->name + "' needs a value (" + spec->value_name + ")");
      inline_value = args[++i];
    }
    out.values[spec->name].push_back(*inline_value);
  }
  return out;
}

std::string options_help(const std::vector<OptionSpec>& specs) {
  std::string out;
  for (const auto& s : specs) {
    std::string left = "  ";
    left += s.short_name ? std::string("-") + s.short_name + ", " : "    ";
    left += "--" + s.name + (s.takes_value ? " " + s.value_name : "");
    if (left.size() < 28) left.resize(28, ' ');
    else left += "  ";
    out += left + s.help + "\n";
  }
  return out;
}

}  // namespace bbx::cli
