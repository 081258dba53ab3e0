#include <doctest/doctest.h>

#include "util/utf8_escape.hpp"

using bbx::util::escape_invalid_utf8;

TEST_CASE("valid UTF-8 and ANSI escapes pass unchanged") {
  CHECK(escape_invalid_utf8("plain") == "plain");
  CHECK(escape_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
  CHECK(escape_invalid_utf8("\x1b[31mred\x1b[0m") == "\x1b[31mred\x1b[0m");
}

TEST_CASE("invalid bytes become \\xHH, the valid rest is kept") {
  CHECK(escape_invalid_utf8("bad \xFF\xFE end") == "bad \\xFF\\xFE end");
  CHECK(escape_invalid_utf8("\xC3") == "\\xC3");                  // truncated sequence
  CHECK(escape_invalid_utf8("\xC0\xAF") == "\\xC0\\xAF");        // overlong '/'
  CHECK(escape_invalid_utf8("\xED\xA0\x80") == "\\xED\\xA0\\x80");  // surrogate
  CHECK(escape_invalid_utf8("\xF4\x90\x80\x80") == "\\xF4\\x90\\x80\\x80");  // > U+10FFFF
  CHECK(escape_invalid_utf8("\xC3(\xC3\xA9") == "\\xC3(\xC3\xA9");
}
