#include "journal/body_ref.hpp"

#include <charconv>
#include <cstdlib>

namespace bbx::journal {

namespace json_text {

namespace {

std::size_t skip_string(std::string_view t, std::size_t i) {  // t[i] == '"'
  // The next quote not escaped: preceded by an even number of backslashes.
  for (;;) {
    i = t.find('"', i + 1);
    if (i == std::string_view::npos) return i;
    std::size_t backslashes = 0;
    while (t[i - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return i + 1;
  }
}

}  // namespace

std::size_t skip_value(std::string_view t, std::size_t i) {
  const std::size_t n = t.size();
  if (i >= n) return std::string_view::npos;
  char c = t[i];
  if (c == '"') return skip_string(t, i);
  if (c == '{' || c == '[') {
    std::size_t depth = 0;
    while (i < n) {
      c = t[i];
      if (c == '"') {
        i = skip_string(t, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  // A number, true, false or null: up to the next delimiter.
  std::size_t begin = i;
  while (i < n && t[i] != ',' && t[i] != '}' && t[i] != ']') ++i;
  return i == begin ? std::string_view::npos : i;
}

std::string decode_string(std::string_view quoted) {
  auto body = quoted.substr(1, quoted.size() - 2);
  if (body.find('\\') == std::string_view::npos) return std::string(body);
  std::string out;
  out.reserve(body.size());
  std::size_t run = 0;  // the start of the text copied as it is
  for (std::size_t i = body.find('\\'); i != std::string_view::npos; i = body.find('\\', run)) {
    out.append(body.substr(run, i - run));
    if (i + 1 == body.size()) {  // a lone backslash at the end stays
      run = i;
      break;
    }
    run = i + 2;
    switch (body[i + 1]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      default:  // \uXXXX (surrogate pairs included): the library decodes it
        try {
          return nlohmann::json::parse(quoted).get<std::string>();
        } catch (const nlohmann::json::exception&) {
          return std::string(body);
        }
    }
  }
  out.append(body.substr(run));
  return out;
}

}  // namespace json_text

namespace {

using json_text::decode_string;

bool is_number_text(std::string_view v) { return !v.empty() && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9')); }

std::int64_t integer_of(std::string_view v) {
  std::int64_t i = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), i);
  if (ec == std::errc() && end == v.data() + v.size()) return i;
  std::uint64_t u = 0;
  auto [uend, uec] = std::from_chars(v.data(), v.data() + v.size(), u);
  if (uec == std::errc() && uend == v.data() + v.size()) return static_cast<std::int64_t>(u);
  return static_cast<std::int64_t>(std::strtod(std::string(v).c_str(), nullptr));
}

// Calls fn(element text) for each element of an array's text.
template <class Fn>
void each_element(std::string_view a, Fn fn) {
  if (a.size() < 2 || a[0] != '[') return;
  std::size_t i = 1;
  while (i < a.size() && a[i] != ']') {
    auto end = json_text::skip_value(a, i);
    if (end == std::string_view::npos) return;
    fn(a.substr(i, end - i));
    i = end;
    if (i < a.size() && a[i] == ',') ++i;
  }
}

}  // namespace

BodyRef& BodyRef::operator=(const BodyRef& other) {
  tree_ = other.tree_;
  text_ = other.text_;
  count_ = other.count_;
  for (std::size_t i = 0; i < count_; ++i) fields_[i] = other.fields_[i];
  return *this;
}

std::optional<BodyRef> BodyRef::over_text(std::string_view t) {
  std::size_t end = 0;
  auto b = over_prefix(t, end);
  if (!b || end != t.size()) return std::nullopt;
  return b;
}

std::optional<BodyRef> BodyRef::over_prefix(std::string_view t, std::size_t& end) {
  BodyRef b;
  if (t.size() < 2 || t[0] != '{') return std::nullopt;
  std::size_t i = 1;
  auto done = [&](std::size_t close) {
    end = close + 1;
    b.text_ = t.substr(0, end);
    return std::optional(b);
  };
  if (t[i] == '}') return done(i);
  for (;;) {
    if (t[i] != '"') return std::nullopt;
    auto key_end = json_text::skip_value(t, i);
    if (key_end == std::string_view::npos || key_end >= t.size() || t[key_end] != ':') return std::nullopt;
    auto value_end = json_text::skip_value(t, key_end + 1);
    if (value_end == std::string_view::npos || value_end >= t.size()) return std::nullopt;
    if (b.count_ == kMaxFields) return std::nullopt;
    b.fields_[b.count_++] = {t.substr(i + 1, key_end - i - 2), t.substr(key_end + 1, value_end - key_end - 1)};
    i = value_end;
    if (t[i] == '}') return done(i);
    if (t[i] != ',') return std::nullopt;
    ++i;
  }
}

std::optional<std::string_view> BodyRef::value_text(std::string_view key) const {
  for (std::size_t i = 0; i < count_; ++i)
    if (fields_[i].key == key) return fields_[i].value;
  return std::nullopt;
}

bool BodyRef::has(std::string_view key) const {
  if (tree_) return tree_->is_object() && tree_->contains(key);
  return value_text(key).has_value();
}

std::string BodyRef::str(std::string_view key, std::string_view fallback) const {
  if (tree_) {
    if (!tree_->is_object()) return std::string(fallback);
    auto it = tree_->find(key);
    if (it == tree_->end() || it->is_null()) return std::string(fallback);
    if (it->is_string()) return it->get<std::string>();
    return it->dump();
  }
  auto v = value_text(key);
  if (!v || *v == "null") return std::string(fallback);
  if ((*v)[0] == '"') return decode_string(*v);
  return std::string(*v);
}

std::int64_t BodyRef::num(std::string_view key, std::int64_t fallback) const {
  if (tree_) {
    if (!tree_->is_object()) return fallback;
    auto it = tree_->find(key);
    if (it == tree_->end() || !it->is_number()) return fallback;
    return it->get<std::int64_t>();
  }
  auto v = value_text(key);
  if (!v || !is_number_text(*v)) return fallback;
  return integer_of(*v);
}

double BodyRef::real(std::string_view key, double fallback) const {
  if (tree_) {
    if (!tree_->is_object()) return fallback;
    auto it = tree_->find(key);
    if (it == tree_->end() || !it->is_number()) return fallback;
    return it->get<double>();
  }
  auto v = value_text(key);
  if (!v || !is_number_text(*v)) return fallback;
  double d = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
  return ec == std::errc() ? d : fallback;
}

bool BodyRef::flag(std::string_view key) const {
  if (tree_) {
    if (!tree_->is_object()) return false;
    auto it = tree_->find(key);
    return it != tree_->end() && it->is_boolean() && it->get<bool>();
  }
  auto v = value_text(key);
  return v && *v == "true";
}

std::optional<BodyRef> BodyRef::object(std::string_view key) const {
  if (tree_) {
    if (!tree_->is_object()) return std::nullopt;
    auto it = tree_->find(key);
    if (it == tree_->end() || !it->is_object()) return std::nullopt;
    return BodyRef(*it);
  }
  auto v = value_text(key);
  if (!v || (*v)[0] != '{') return std::nullopt;
  return over_text(*v);
}

std::vector<std::string> BodyRef::items(std::string_view key) const {
  std::vector<std::string> out;
  if (tree_) {
    if (!tree_->is_object()) return out;
    auto it = tree_->find(key);
    if (it == tree_->end() || !it->is_array()) return out;
    for (const auto& a : *it) out.push_back(a.is_string() ? a.get<std::string>() : a.dump());
    return out;
  }
  auto v = value_text(key);
  if (!v) return out;
  each_element(*v, [&](std::string_view e) { out.push_back(e[0] == '"' ? decode_string(e) : std::string(e)); });
  return out;
}

std::vector<std::uint64_t> BodyRef::unsigned_items(std::string_view key) const {
  std::vector<std::uint64_t> out;
  if (tree_) {
    if (!tree_->is_object()) return out;
    auto it = tree_->find(key);
    if (it == tree_->end() || !it->is_array()) return out;
    for (const auto& a : *it)
      if (a.is_number_unsigned()) out.push_back(a.get<std::uint64_t>());
    return out;
  }
  auto v = value_text(key);
  if (!v) return out;
  each_element(*v, [&](std::string_view e) {
    std::uint64_t u = 0;
    auto [end, ec] = std::from_chars(e.data(), e.data() + e.size(), u);
    if (ec == std::errc() && end == e.data() + e.size()) out.push_back(u);
  });
  return out;
}

std::string BodyRef::json() const {
  if (tree_) return tree_->is_null() ? "{}" : tree_->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text_.empty() ? "{}" : std::string(text_);
}

}  // namespace bbx::journal
