#include "util/json_text.hpp"

#include <array>
#include <charconv>
#include <cstring>

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

// Appends `"s"`: short strings through one append from the stack (the common case: a call
// costs more than the bytes), long ones in three.
void append_quoted(std::string& out, std::string_view s, bool comma = false, bool colon = false) {
  char buf[128];
  if (s.size() + 4 > sizeof buf) {
    if (comma) out.push_back(',');
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    if (colon) out.push_back(':');
    return;
  }
  char* p = buf;
  if (comma) *p++ = ',';
  *p++ = '"';
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  p += s.size();
  *p++ = '"';
  if (colon) *p++ = ':';
  out.append(buf, static_cast<std::size_t>(p - buf));
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    if (kNeedsEncoding[c]) {
      using nlohmann::json;
      out += json(s).dump(-1, ' ', false, json::error_handler_t::replace);
      return;
    }
  }
  append_quoted(out, s);
}

void append_json_key(std::string& out, std::string_view key, bool first) {
  append_quoted(out, key, !first, true);
}

void append_json_number(std::string& out, std::int64_t n) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

void append_json_number(std::string& out, std::uint64_t n) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

}  // namespace bbx::util
