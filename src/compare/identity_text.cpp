#include "compare/identity_text.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "util/text.hpp"

namespace bbx::compare {

using namespace std::string_view_literals;  // literals appended without strlen

namespace {

// The characters that make a value quoted: the separators of identity texts, quotes and controls.
constexpr std::array<bool, 256> kQuoted = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x20; ++c) t[std::size_t(c)] = true;
  for (unsigned char c : std::string_view("\"\\|;]},=")) t[c] = true;
  return t;
}();

bool plain(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s)
    if (kQuoted[static_cast<unsigned char>(c)]) return false;
  return true;
}

void quoted(std::string_view s, std::string& out) {
  if (plain(s)) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""sv; break;
      case '\\': out += "\\\\"sv; break;
      case '\n': out += "\\n"sv; break;
      case '\r': out += "\\r"sv; break;
      case '\t': out += "\\t"sv; break;
      default: out += c;
    }
  }
  out += '"';
}

// Fields named like these hold a pid or a port: integers of role fields become their role.
bool pid_field(std::string_view f) { return f == "pid" || f == "from" || f == "supervisor_pid"; }

}  // namespace

void IdentityText::norm(std::string_view text, Aliases& aliases, std::string& out) {
  // Short texts repeat (header values, versions, addresses): looked up first, one hash of
  // the text, where working out that nothing in it is replaced takes a pass or two.
  const bool short_text = text.size() <= kRememberedSize;
  if (short_text)
    if (auto it = remembered_.find(text); it != remembered_.end()) {
      out += it->second;
      return;
    }
  const std::size_t start = out.size();
  const std::size_t given = aliases.given();
  const bool roles_pass = roles_.passes_over(text);
  if (!rules_.has_redactions() && roles_pass && !may_hold_volatile(text)) {
    out += text;  // nothing to replace
  } else {
    std::string_view rolled = text;  // roles applied (most texts hold none of their values)
    if (!roles_pass) {
      scratch_.clear();
      roles_.apply(text, scratch_);
      rolled = scratch_;
    }
    mask_volatile(rolled, aliases, out);
    if (rules_.has_redactions()) {
      std::string tail = out.substr(start);
      rules_.redact(tail);
      out.resize(start);
      out += tail;
    }
  }
  // No numbered alias given: roles, masks and redactions are pure, so this text normalises
  // the same in every scope.
  if (short_text && aliases.given() == given && remembered_.size() < kRemembered)
    remembered_.emplace(std::string(text), out.substr(start));
}

// norm() then quoted(), through a reused buffer.
void IdentityText::norm_quoted(std::string_view text, Aliases& aliases, std::string& out) {
  normed_.clear();
  norm(text, aliases, normed_);
  quoted(normed_, out);
}

void IdentityText::render_fields(const Record& e, Val body, std::string_view prefix, Aliases& aliases,
                               std::string& out, std::initializer_list<std::string_view> skip) {
  const auto& ignored = ignored_fields(e);
  const auto& rules = rules_of(e.type);
  for (const auto& [key, value] : body.members()) {
    if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
    std::string joined;  // "request.method": only nested bodies have a prefix
    if (!prefix.empty()) joined.append(prefix).append(".").append(key);
    const std::string_view path = prefix.empty() ? key : std::string_view(joined);
    auto how = Treatment::compared;
    for (const auto& r : rules)
      if (r.field == path) {
        how = r.how;
        break;
      }
    if (how != Treatment::compared && how != Treatment::role) continue;
    if (std::find(ignored.begin(), ignored.end(), path) != ignored.end()) continue;
    // http.upstream's request/response and http.request's from: their own fields.
    if (value.is_object() && prefix.empty() && (e.type == "http.upstream" || (e.type == "http.request" && key == "from"))) {
      out += " | "sv;
      out += key;
      out += "={"sv;
      std::string inner;
      render_fields(e, value, path, aliases, inner, {});
      out += inner.size() > 3 ? inner.substr(3) : inner;
      out += '}';
      continue;
    }
    out += " | "sv;
    out += key;
    out += '=';
    render_value(value, path, how, ignored, aliases, out);
  }
}

void IdentityText::render_value(Val v, std::string_view path, Treatment how, const std::vector<std::string>& ignored,
                                Aliases& aliases, std::string& out) {
  if (v.is_string()) {
    norm_quoted(v.text(), aliases, out);
  } else if (v.is_integer() && how == Treatment::role) {
    auto field = path.substr(path.rfind('.') == std::string_view::npos ? 0 : path.rfind('.') + 1);
    auto n = v.integer();
    std::optional<std::string> role = pid_field(field) ? roles_.pid_role(n) : roles_.port_role(n);
    out += role ? *role : (pid_field(field) ? "[PID:?]" : std::to_string(n));
  } else if (v.is_array() && path.size() >= 7 && path.substr(path.size() - 7) == "headers") {
    out += '[';
    bool first = true;
    for (Val h : v.elements()) {
      if (!h.is_array() || h.size() != 2 || !h.at(0).is_string() || !h.at(1).is_string()) continue;
      auto name = h.at(0).text();
      bool dropped = false;
      for (const auto& f : ignored)
        if (f.size() == path.size() + 1 + name.size() && f.compare(0, path.size(), path) == 0 &&
            util::iequals(std::string_view(f).substr(path.size() + 1), name))
          dropped = true;
      if (dropped) continue;
      if (!first) out += "; "sv;
      first = false;
      out += name;
      out += ": "sv;
      norm_quoted(h.at(1).text(), aliases, out);
    }
    out += ']';
  } else if (v.is_array()) {
    out += '[';
    for (std::size_t k = 0; k < v.size(); ++k) {
      if (k) out += ", "sv;
      render_value(v.at(k), path, how, ignored, aliases, out);
    }
    out += ']';
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, value] : v.members()) {
      if (!first) out += ", "sv;
      first = false;
      out += key;
      out += '=';
      render_value(value, path, how, ignored, aliases, out);
    }
    out += '}';
  } else {
    out += v.dump();
  }
}

const std::vector<std::string>& IdentityText::ignored_fields(const Record& e) {
  if (rules_.ignore().empty()) return no_fields_;
  auto key = e.type + '\0' + e.source.name;
  auto it = ignored_cache_.find(key);
  if (it == ignored_cache_.end()) it = ignored_cache_.emplace(key, rules_.ignored_fields(e.type, e.source.name)).first;
  return it->second;
}

}  // namespace bbx::compare
