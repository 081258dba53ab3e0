// JSON text appended piece by piece, for hot paths that write a known shape without building
// a tree (the journal's event lines, deferred event bodies). Strings that need no escaping
// (printable ASCII without quote or backslash) are quoted as they are; any other string is
// encoded by nlohmann (escapes; invalid UTF-8 replaced by U+FFFD), so the output always parses.
// Each piece is one append to `out` (the journal's writer calls these ~20 times per event).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bbx::util {

void append_json_string(std::string& out, std::string_view s);
void append_json_number(std::string& out, std::int64_t n);
void append_json_number(std::string& out, std::uint64_t n);
inline void append_json_bool(std::string& out, bool b) {
  if (b) out.append("true", 4);
  else out.append("false", 5);
}

// Appends a string literal as it is (JSON punctuation and keys the caller wrote), without
// measuring it at run time.
template <std::size_t N>
inline void append_literal(std::string& out, const char (&text)[N]) {
  out.append(text, N - 1);
}

// Appends `"key":`, preceded by a comma unless first (key must need no escaping: the
// callers' keys are literals).
void append_json_key(std::string& out, std::string_view key, bool first = true);

}  // namespace bbx::util
