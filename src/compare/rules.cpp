#include "compare/rules.hpp"

#include "bbx/error.hpp"
#include "util/text.hpp"

namespace bbx::compare {

namespace {

std::string text_of(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return "";
  if (!it->is_string()) fail_input({where}, std::string("compare rules: '") + key + "' is not a string");
  return it->get<std::string>();
}

util::Regex compile(const std::string& pattern, const std::string& where) {
  std::string why;
  auto re = util::Regex::try_compile(pattern, &why);
  if (!re) fail_input({where}, "compare rules: invalid regex '" + pattern + "': " + why);
  return *re;
}

bool glob_or_any(const std::string& glob, std::string_view text) { return glob.empty() || util::glob_match(glob, text); }

}  // namespace

Rules Rules::from_json(const nlohmann::json& compare, const std::string& where) {
  Rules rules;
  if (compare.is_null()) return rules;
  if (!compare.is_object()) fail_input({where}, "compare rules: expected an object");
  for (const auto& i : compare.value("ignore", nlohmann::json::array())) {
    if (!i.is_object()) fail_input({where}, "compare rules: an ignore entry is not an object");
    IgnoreRule r;
    r.type = text_of(i, "type", where);
    r.source = text_of(i, "source", where);
    r.field = text_of(i, "field", where);
    if (auto m = text_of(i, "matches", where); !m.empty()) r.matches = compile(m, where);
    rules.add(std::move(r));
  }
  for (const auto& i : compare.value("redact", nlohmann::json::array())) {
    if (!i.is_object()) fail_input({where}, "compare rules: a redact entry is not an object");
    rules.add(RedactRule{compile(text_of(i, "pattern", where), where), text_of(i, "replace", where)});
  }
  return rules;
}

bool Rules::ignores_event(std::string_view type, std::string_view source, std::string_view text) const {
  for (const auto& r : ignore_) {
    if (!r.field.empty()) continue;
    if (glob_or_any(r.type, type) && glob_or_any(r.source, source) && (!r.matches || r.matches->matches(text)))
      return true;
  }
  return false;
}

std::vector<std::string> Rules::ignored_fields(std::string_view type, std::string_view source) const {
  std::vector<std::string> out;
  for (const auto& r : ignore_)
    if (!r.field.empty() && glob_or_any(r.type, type) && glob_or_any(r.source, source)) out.push_back(r.field);
  return out;
}

void Rules::redact(std::string& text) const {
  for (const auto& r : redact_) {
    std::string out;
    std::string_view rest = text;
    util::RegexCaptures caps;
    bool any = false;
    while (!rest.empty() && r.pattern.search(rest, caps) == util::RegexMatch::yes) {
      auto whole = *caps[0];
      if (whole.empty()) break;  // refused at load; a journal edited by hand must not loop
      any = true;
      out.append(rest.substr(0, std::size_t(whole.data() - rest.data())));
      for (std::size_t k = 0; k < r.replace.size(); ++k) {
        char c = r.replace[k];
        if (c == '$' && k + 1 < r.replace.size() && r.replace[k + 1] >= '0' && r.replace[k + 1] <= '9') {
          if (auto g = caps[std::size_t(r.replace[k + 1] - '0')]) out.append(*g);
          ++k;
        } else {
          out += c;
        }
      }
      rest = rest.substr(std::size_t(whole.data() + whole.size() - rest.data()));
    }
    if (!any) continue;
    out.append(rest);
    text = std::move(out);
  }
}

}  // namespace bbx::compare
