// Making subject output journal-safe without losing bytes.
#pragma once

#include <string>
#include <string_view>

namespace bbx::util {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 for ASCII), 0 when the bytes
// there are not one (overlongs, surrogates and code points above U+10FFFF included).
// Precondition: i < s.size().
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// Returns text unchanged when it is valid UTF-8. Otherwise every byte that is not part of a
// well-formed UTF-8 sequence (overlongs, surrogates and > U+10FFFF included) becomes the four
// characters \xHH, and a literal backslash stays one backslash: the original bytes are still
// recognisable, nothing is replaced by U+FFFD. ANSI escapes (ESC is valid UTF-8) are kept.
std::string escape_invalid_utf8(std::string_view text);

}  // namespace bbx::util
