#include "util/byte_preview.hpp"

#include <algorithm>
#include <cstdio>

#include "util/utf8_escape.hpp"

namespace bbx::util {

namespace {

void append_escaped(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = utf8_sequence_length(s, i);
    if (n > 1) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
    switch (c) {
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      default: break;
    }
    if (n == 1 && c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
}

// Moves a cut point back to the start of a UTF-8 sequence (a head ends before it).
std::size_t boundary(std::string_view s, std::size_t at) {
  while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
  return at;
}

}  // namespace

std::string quoted_bytes(std::string_view bytes) {
  std::string out = "\"";
  append_escaped(out, bytes);
  return out + "\"";
}

std::string byte_preview(std::string_view bytes, std::size_t head, std::size_t tail) {
  if (bytes.size() <= head + tail) return quoted_bytes(bytes);
  std::size_t h = boundary(bytes, head);
  std::size_t t = bytes.size() - tail;  // forward to a character's start: at most `tail` bytes
  while (t < bytes.size() && (static_cast<unsigned char>(bytes[t]) & 0xC0) == 0x80) ++t;
  return quoted_bytes(bytes.substr(0, h)) + " … (" + grouped(t - h) + " bytes) … " + quoted_bytes(bytes.substr(t));
}

std::size_t first_difference(std::string_view a, std::string_view b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return i;
  return a.size() == b.size() ? std::string_view::npos : n;
}

std::string grouped(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace bbx::util
