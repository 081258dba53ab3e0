#include "scenario/variables.hpp"

#include "util/text.hpp"

namespace bbx::scenario {

namespace {

// Walks text, calling on_literal for plain runs and on_variable for each ${name}.
template <typename Literal, typename Variable>
void scan(const model::Template& t, Literal on_literal, Variable on_variable) {
  const std::string& s = t.text;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s.compare(i, 3, "$${") == 0) {
      on_literal(std::string_view("${"));
      i += 3;
      continue;
    }
    if (s.compare(i, 2, "${") != 0) {
      on_literal(std::string_view(&s[i], 1));
      ++i;
      continue;
    }
    std::size_t close = s.find('}', i + 2);
    if (close == std::string::npos) fail_input(t.where, "unterminated '${' in '" + s + "'");
    std::string name(util::trim(std::string_view(s).substr(i + 2, close - i - 2)));
    if (name.empty()) fail_input(t.where, "empty variable name '${}' in '" + s + "'");
    on_variable(name);
    i = close + 1;
  }
}

std::string suggestion(const std::string& name, const KnownNames& known) {
  std::vector<std::string> candidates = {"sandbox", "scenario.name", "scenario.id"};
  for (const auto& f : known.fakes)
    for (const char* field : {"port", "host", "url"}) candidates.push_back("fakes." + f + "." + field);
  for (const auto& s : known.subjects) candidates.push_back("subjects." + s + ".pid");
  for (const auto& v : known.vars) {
    candidates.push_back(v);
    candidates.push_back("vars." + v);
  }
  std::string guess = util::closest_match(name, candidates);
  return guess.empty() ? "" : "; did you mean '${" + guess + "}'?";
}

bool is_known(const std::string& name, const KnownNames& known) {
  auto parts = util::split(name, '.');
  if (name == "sandbox" || name == "scenario.name" || name == "scenario.id") return true;
  if (parts[0] == "env") return parts.size() >= 2 && !parts[1].empty();
  if (parts[0] == "fakes")
    return parts.size() == 3 && known.fakes.count(parts[1]) &&
           (parts[2] == "port" || parts[2] == "host" || parts[2] == "url" || parts[2] == "ca_file");
  if (parts[0] == "subjects")
    return parts.size() == 3 && known.subjects.count(parts[1]) && parts[2] == "pid";
  if (parts[0] == "ports") return parts.size() == 2 && !parts[1].empty();  // free port, allocated on use
  if (parts[0] == "vars") return parts.size() == 2 && known.vars.count(parts[1]);
  return parts.size() == 1 && known.vars.count(name);
}

}  // namespace

std::vector<std::string> referenced_variables(const model::Template& text) {
  std::vector<std::string> out;
  scan(text, [](std::string_view) {}, [&](const std::string& name) { out.push_back(name); });
  return out;
}

void check_variables(const model::Template& text, const KnownNames& known) {
  for (const auto& name : referenced_variables(text))
    if (!is_known(name, known))
      fail_input(text.where, "unknown variable '${" + name + "}'" + suggestion(name, known));
}

std::string expand(const model::Template& text, const VariableLookup& lookup) {
  std::string out;
  out.reserve(text.text.size());
  scan(
      text, [&](std::string_view lit) { out += lit; },
      [&](const std::string& name) {
        auto value = lookup(name);
        if (!value) fail_input(text.where, "variable '${" + name + "}' has no value here");
        out += *value;
      });
  return out;
}

}  // namespace bbx::scenario
