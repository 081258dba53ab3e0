// Showing bytes to people in one line: a failure message quotes file contents, bodies and
// output whose exact bytes matter (a trailing newline, a stray \r, a NUL), so nothing is
// hidden and nothing is silently cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bbx::util {

// The bytes in double quotes, escaped: \n \r \t \" \\, other control bytes and bytes that
// are not well-formed UTF-8 as \xHH; well-formed UTF-8 text as is.
std::string quoted_bytes(std::string_view bytes);

// quoted_bytes of the whole text when it is at most head + tail bytes long; else its first
// `head` and last `tail` bytes (cut at UTF-8 boundaries) with what was left out between
// them: "\"abc\" … (1,234 bytes) … \"xyz\\n\"".
std::string byte_preview(std::string_view bytes, std::size_t head = 48, std::size_t tail = 48);

// The offset of the first byte where a and b differ; the shorter one's size when one is a
// prefix of the other; npos when they are equal.
std::size_t first_difference(std::string_view a, std::string_view b);

// "1,234": a count with thousands separators.
std::string grouped(std::size_t n);

}  // namespace bbx::util
