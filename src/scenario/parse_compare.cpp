// `compare:`: the scenario's own rules for bbx diff and baselines (model/compare.hpp).
#include "scenario/patterns.hpp"
#include "scenario/sections.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

namespace {

model::CompareIgnore parse_ignore(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"type", "source", "field", "matches"});
  model::CompareIgnore out;
  out.where = m.where();
  out.type = m.string("type").value_or("");
  out.source = m.string("source").value_or("");
  out.field = m.string("field").value_or("");
  out.matches = m.string("matches").value_or("");
  if (out.type.empty() && out.source.empty() && out.field.empty() && out.matches.empty())
    fail_input(m.where(), what + ": give at least one of type, source, field, matches (an empty entry would ignore everything)");
  if (m.has("field") && (out.field.empty() || out.field.front() == '.' || out.field.back() == '.'))
    fail_input(m.where("field"), what + ".field: expected a body field such as 'body' or 'headers.X-Request-Id'");
  if (!out.matches.empty()) compile_pattern(out.matches, m.where("matches"), what + ".matches");
  return out;
}

model::CompareRedact parse_redact(const YAML::Node& node, const std::string& path, const std::string& what) {
  MapReader m(node, path, what, {"pattern", "replace"});
  model::CompareRedact out;
  out.where = m.where();
  out.pattern = m.required_string("pattern");
  if (!m.has("replace")) fail_input(m.where(), what + ": missing 'replace' (the text that stands for each match)");
  out.replace = *m.string("replace");
  if (out.pattern.empty()) fail_input(m.where("pattern"), what + ".pattern: must not be empty");
  auto re = compile_pattern(out.pattern, m.where("pattern"), what + ".pattern");
  if (re.search("") == util::RegexMatch::yes)
    fail_input(m.where("pattern"), what + ".pattern: '" + out.pattern + "' matches the empty string; it would insert '" +
                                       out.replace + "' everywhere");
  return out;
}

}  // namespace

model::CompareRules parse_compare(const YAML::Node& node, const std::string& path) {
  MapReader m(node, path, "compare", {"ignore", "redact"});
  model::CompareRules out;
  for (const char* key : {"ignore", "redact"}) {
    if (!m.has(key)) continue;
    auto list = m.node(key);
    if (!list.IsSequence()) fail_input(m.where(key), std::string("compare.") + key + ": expected a list");
    std::size_t i = 0;
    for (const auto& item : list) {
      std::string what = std::string("compare.") + key + "[" + std::to_string(++i) + "]";
      if (std::string(key) == "ignore")
        out.ignore.push_back(parse_ignore(item, path, what));
      else
        out.redact.push_back(parse_redact(item, path, what));
    }
  }
  return out;
}

}  // namespace bbx::scenario
