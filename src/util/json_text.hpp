// JSON text appended piece by piece, for hot paths that write a known shape without building
// a tree (the journal's event lines, deferred event bodies). Strings that need no escaping
// (printable ASCII without quote or backslash) are quoted as they are; any other string is
// encoded by nlohmann (escapes; bytes that are not UTF-8 as \xHH, util/utf8_escape.hpp), so the
// output always parses and different bytes stay different texts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "util/text_buffer.hpp"

namespace bbx::util {

void append_json_string(TextBuffer& out, std::string_view s);
void append_json_number(TextBuffer& out, std::int64_t n);
void append_json_number(TextBuffer& out, std::uint64_t n);
inline void append_json_bool(TextBuffer& out, bool b) {
  if (b) out.literal("true");
  else out.literal("false");
}

}  // namespace bbx::util
