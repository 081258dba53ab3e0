#include "scenario/variables.hpp"

#include <algorithm>
#include <charconv>

#include "util/text.hpp"

namespace bbx::scenario {

namespace {

// Where the byte at `offset` of t's text is: its own line and column in a template file;
// the text's location otherwise (a YAML scalar's offsets do not map to columns once quoted,
// escaped or folded).
SourceLocation location_of(const model::Template& t, std::size_t offset) {
  if (!t.whole_file) return t.where;
  SourceLocation at = t.where;
  for (std::size_t i = 0; i < offset && i < t.text.size(); ++i) {
    if (t.text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((static_cast<unsigned char>(t.text[i]) & 0xC0) != 0x80) {  // columns count characters
      ++at.column;
    }
  }
  return at;
}

// The text to quote in a message: all of an inline text; from offset to the end of its line
// (at most 60 bytes) in a template file.
std::string snippet(const model::Template& t, std::size_t offset) {
  if (!t.whole_file) return t.text;
  auto end = t.text.find('\n', offset);
  return t.text.substr(offset, std::min<std::size_t>(end == std::string::npos ? t.text.size() - offset : end - offset, 60));
}

// Walks text, calling on_literal for plain runs and on_variable(name, offset of its "${").
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
    if (close == std::string::npos)
      fail_input(location_of(t, i), "unterminated '${' in '" + snippet(t, i) + "'");
    std::string name(util::trim(std::string_view(s).substr(i + 2, close - i - 2)));
    if (name.empty()) fail_input(location_of(t, i), "empty variable name '${}' in '" + snippet(t, i) + "'");
    on_variable(name, i);
    i = close + 1;
  }
}

std::string suggestion(const std::string& name, const KnownNames& known) {
  std::vector<std::string> candidates = {"sandbox", "scenario.name", "scenario.id"};
  for (const auto& f : known.fakes)
    for (const char* field : {"port", "host", "url"}) candidates.push_back("fakes." + f + "." + field);
  for (const auto& s : known.subjects) candidates.push_back("subjects." + s + ".pid");
  for (const auto& c : known.captures) candidates.push_back("captures." + c);
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
  if (parts[0] == "captures") return parts.size() == 2 && known.captures.count(parts[1]);
  return parts.size() == 1 && known.vars.count(name);
}

}  // namespace

std::vector<std::string> referenced_variables(const model::Template& text) {
  std::vector<std::string> out;
  scan(text, [](std::string_view) {}, [&](const std::string& name, std::size_t) { out.push_back(name); });
  return out;
}

void check_variables(const model::Template& text, const KnownNames& known) {
  scan(text, [](std::string_view) {}, [&](const std::string& name, std::size_t at) {
    if (!is_known(name, known))
      fail_input(location_of(text, at), "unknown variable '${" + name + "}'" + suggestion(name, known));
  });
}

std::int64_t expand_integer(const model::IntField& f, const VariableLookup& lookup) {
  if (!f.text) return f.value;
  std::string text = expand(*f.text, lookup);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    fail_input(f.text->where, f.label + ": '" + f.text->text + "' is '" + text + "', not an integer");
  if (n < f.min || n > f.max)
    fail_input(f.text->where, f.label + ": '" + f.text->text + "' is " + text + ", out of range " + std::to_string(f.min) +
                                  ".." + std::to_string(f.max));
  return n;
}

std::string expand(const model::Template& text, const VariableLookup& lookup) {
  std::string out;
  out.reserve(text.text.size());
  scan(
      text, [&](std::string_view lit) { out += lit; },
      [&](const std::string& name, std::size_t at) {
        auto value = lookup(name);
        if (!value) fail_input(location_of(text, at), "variable '${" + name + "}' has no value here");
        out += *value;
      });
  return out;
}

}  // namespace bbx::scenario
