#include "util/json_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

#include "util/utf8_escape.hpp"

namespace bbx::util {

namespace {

// True for the bytes a JSON string cannot hold as they are (controls, quote, backslash) and
// for non-ASCII ones (validated and encoded by nlohmann).
constexpr std::array<bool, 256> kNeedsEncoding = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
  return t;
}();

template <class Int>
void append_integer(TextBuffer& out, Int n) {
  if (n >= 0 && n < 10) {  // most fields of a hot event are 0 or a small index
    out.push_back(static_cast<char>('0' + n));
    return;
  }
  constexpr std::size_t kMax = 24;
  char* p = out.grow(kMax);
  char* end = std::to_chars(p, p + kMax, n).ptr;
  out.shrink_by(kMax - static_cast<std::size_t>(end - p));
}

// Bytes that are not UTF-8 become \xHH (util/utf8_escape.hpp): two different byte strings
// stay two different texts, where U+FFFD would make them one.
void append_encoded(TextBuffer& out, std::string_view s) {
  using nlohmann::json;
  // ASCII is UTF-8 as it is (most such strings hold only a quote or a backslash).
  bool ascii = std::all_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x80; });
  out.append(json(ascii ? std::string(s) : escape_invalid_utf8(s)).dump());
}

void append_long_json_string(TextBuffer& out, std::string_view s) {
  for (unsigned char c : s)
    if (kNeedsEncoding[c]) return append_encoded(out, s);
  char* p = out.grow(s.size() + 2);
  p[0] = '"';
  std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '"';
}

}  // namespace

// Copies while checking, byte by byte: the strings of hot events are short, and a separate
// scan plus memcpy costs more than the copy itself. A string that needs encoding is taken
// back and written by nlohmann instead.
void append_json_string(TextBuffer& out, std::string_view s) {
  if (s.empty()) return out.literal("\"\"");
  if (s.size() > 64) return append_long_json_string(out, s);
  char* p = out.grow(s.size() + 2);
  *p++ = '"';
  for (unsigned char c : s) {
    if (kNeedsEncoding[c]) {
      out.shrink_by(s.size() + 2);
      return append_encoded(out, s);
    }
    *p++ = static_cast<char>(c);
  }
  *p = '"';
}

void append_json_number(TextBuffer& out, std::int64_t n) { append_integer(out, n); }
void append_json_number(TextBuffer& out, std::uint64_t n) { append_integer(out, n); }

}  // namespace bbx::util
