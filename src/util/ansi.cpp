#include "util/ansi.hpp"

namespace bbx::util {

namespace {

constexpr char kEsc = '\x1b';
constexpr char kBel = '\x07';

bool in(char c, unsigned lo, unsigned hi) {
  auto u = static_cast<unsigned char>(c);
  return u >= lo && u <= hi;
}

// Each returns the index just past the sequence starting at text[i] == ESC (text.size()
// when it is cut off).
std::size_t skip_csi(std::string_view text, std::size_t i) {
  i += 2;  // ESC [
  while (i < text.size() && in(text[i], 0x20, 0x3F)) ++i;  // parameters, intermediates
  if (i < text.size() && in(text[i], 0x40, 0x7E)) ++i;      // final byte
  return i;
}

std::size_t skip_string_control(std::string_view text, std::size_t i) {
  for (i += 2; i < text.size(); ++i) {
    if (text[i] == kBel) return i + 1;
    if (text[i] == kEsc && i + 1 < text.size() && text[i + 1] == '\\') return i + 2;  // ST
  }
  return text.size();
}

std::size_t skip_escape(std::string_view text, std::size_t i) {
  std::size_t j = i + 1;
  while (j < text.size() && in(text[j], 0x20, 0x2F)) ++j;  // intermediates
  if (j == text.size()) return j;                          // cut off
  if (in(text[j], 0x30, 0x7E)) return j + 1;               // final byte
  return i + 1;                                            // not a sequence: drop the ESC alone
}

std::size_t skip_sequence(std::string_view text, std::size_t i) {
  if (i + 1 >= text.size()) return text.size();
  switch (text[i + 1]) {
    case '[': return skip_csi(text, i);
    case ']': case 'P': case 'X': case '^': case '_': return skip_string_control(text, i);
    default: return skip_escape(text, i);
  }
}

}  // namespace

std::string strip_ansi(std::string_view text) {
  std::size_t esc = text.find(kEsc);
  if (esc == std::string_view::npos) return std::string(text);
  std::string out(text.substr(0, esc));
  out.reserve(text.size());
  for (std::size_t i = esc; i < text.size();) {
    if (text[i] == kEsc) {
      i = skip_sequence(text, i);
    } else {
      std::size_t next = text.find(kEsc, i);
      if (next == std::string_view::npos) next = text.size();
      out.append(text.substr(i, next - i));
      i = next;
    }
  }
  return out;
}

}  // namespace bbx::util
