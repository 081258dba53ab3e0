#include "util/json_text.hpp"

#include <array>
#include <charconv>

#include <nlohmann/json.hpp>

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
  constexpr std::size_t kMax = 24;
  char* p = out.grow(kMax);
  char* end = std::to_chars(p, p + kMax, n).ptr;
  out.shrink_by(kMax - static_cast<std::size_t>(end - p));
}

}  // namespace

void append_json_string(TextBuffer& out, std::string_view s) {
  for (unsigned char c : s) {
    if (kNeedsEncoding[c]) {
      using nlohmann::json;
      out.append(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
      return;
    }
  }
  char* p = out.grow(s.size() + 2);
  p[0] = '"';
  if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
  p[s.size() + 1] = '"';
}

void append_json_number(TextBuffer& out, std::int64_t n) { append_integer(out, n); }
void append_json_number(TextBuffer& out, std::uint64_t n) { append_integer(out, n); }

}  // namespace bbx::util
