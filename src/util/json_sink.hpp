// Two ways to emit one JSON object through the same calls: as a tree (JsonTreeSink) or
// straight as text (JsonTextSink, no tree built). A producer writes its fields once, as a
// template over the sink, and gets both forms describing the same object: what deferred
// event bodies need (bbx/event.hpp). Keys are literals that need no escaping. Strings that
// are not UTF-8 hold \xHH for each stray byte in both forms (util/utf8_escape.hpp), so the
// tree is the text parsed, and can be dumped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/json_text.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::util {

class JsonTreeSink {
 public:
  void str(std::string_view key, std::string_view v) { o_.emplace(key, escape_invalid_utf8(v)); }
  void num(std::string_view key, std::int64_t v) { o_.emplace(key, v); }
  void unum(std::string_view key, std::uint64_t v) { o_.emplace(key, v); }
  void boolean(std::string_view key, bool v) { o_.emplace(key, v); }
  void json(std::string_view key, const nlohmann::json& v) { o_.emplace(key, v); }
  // key: [[k, v], ...] from a range of elements that project() turns into a pair of strings.
  template <class Range, class Project>
  void pairs(std::string_view key, const Range& range, Project project) {
    nlohmann::json::array_t out;
    for (const auto& element : range) {
      auto [k, v] = project(element);
      nlohmann::json::array_t pair;
      pair.reserve(2);
      pair.emplace_back(escape_invalid_utf8(k));
      pair.emplace_back(escape_invalid_utf8(v));
      out.emplace_back(std::move(pair));
    }
    o_.emplace(key, std::move(out));
  }
  nlohmann::json take() { return nlohmann::json(std::move(o_)); }

 private:
  nlohmann::json::object_t o_;
};

// Appends `{...}` to out: open at construction, closed by close(). Keys must be distinct
// string literals (their length is known at compile time: `,"key":` is one fixed-size copy).
class JsonTextSink {
 public:
  explicit JsonTextSink(TextBuffer& out) : out_(out) { out_.push_back('{'); }
  template <std::size_t N>
  void str(const char (&key)[N], std::string_view v) { append_json_string(next(key), v); }
  template <std::size_t N>
  void num(const char (&key)[N], std::int64_t v) { append_json_number(next(key), v); }
  template <std::size_t N>
  void unum(const char (&key)[N], std::uint64_t v) { append_json_number(next(key), v); }
  template <std::size_t N>
  void boolean(const char (&key)[N], bool v) { append_json_bool(next(key), v); }
  template <std::size_t N>
  void json(const char (&key)[N], const nlohmann::json& v) {
    next(key).append(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  template <std::size_t N, class Range, class Project>
  void pairs(const char (&key)[N], const Range& range, Project project) {
    next(key).push_back('[');
    bool first = true;
    for (const auto& element : range) {
      auto [k, v] = project(element);
      if (first) out_.push_back('[');
      else out_.literal(",[");
      first = false;
      append_json_string(out_, k);
      out_.push_back(',');
      append_json_string(out_, v);
      out_.push_back(']');
    }
    out_.push_back(']');
  }
  void close() { out_.push_back('}'); }

 private:
  // Writes `,"key":` (no comma before the first key) and returns the buffer.
  template <std::size_t N>
  TextBuffer& next(const char (&key)[N]) {
    constexpr std::size_t kSize = N - 1;  // without the terminator
    char* p = out_.grow(kSize + (first_ ? 3 : 4));
    if (!first_) *p++ = ',';
    first_ = false;
    *p++ = '"';
    std::memcpy(p, key, kSize);
    p[kSize] = '"';
    p[kSize + 1] = ':';
    return out_;
  }
  TextBuffer& out_;
  bool first_ = true;
};

}  // namespace bbx::util
