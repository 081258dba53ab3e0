// JSON text appended piece by piece, for hot paths that write a known shape without building
// a tree (the journal's event lines, deferred event bodies). Strings that need no escaping
// (printable ASCII without quote or backslash) are quoted as they are; any other string is
// encoded by nlohmann (escapes; invalid UTF-8 replaced by U+FFFD), so the output always parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace bbx::util {

void append_json_string(std::string& out, std::string_view s);
void append_json_number(std::string& out, std::int64_t n);
void append_json_number(std::string& out, std::uint64_t n);
inline void append_json_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

// Appends `"key":` (key must need no escaping: the callers' keys are literals).
inline void append_json_key(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

}  // namespace bbx::util
