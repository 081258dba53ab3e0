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

TEST_CASE("utf8_sequence_length: the length of a well-formed sequence, 0 for anything else") {
  using bbx::util::utf8_sequence_length;
  CHECK(utf8_sequence_length("a", 0) == 1);
  CHECK(utf8_sequence_length("\xC3\xA9", 0) == 2);          // é
  CHECK(utf8_sequence_length("\xE2\x82\xAC", 0) == 3);      // €
  CHECK(utf8_sequence_length("\xF0\x9F\x98\x80", 0) == 4);  // 😀
  CHECK(utf8_sequence_length("\xE2\x82", 0) == 0);          // cut short
  CHECK(utf8_sequence_length("\xC0\xAF", 0) == 0);          // overlong '/'
  CHECK(utf8_sequence_length("\xE0\x80\xAF", 0) == 0);      // overlong
  CHECK(utf8_sequence_length("\xED\xA0\x80", 0) == 0);      // surrogate
  CHECK(utf8_sequence_length("\xF4\x90\x80\x80", 0) == 0);  // above U+10FFFF
  CHECK(utf8_sequence_length("\x80", 0) == 0);              // a lone continuation byte
  CHECK(utf8_sequence_length("x\xC3\xA9", 1) == 2);
}
