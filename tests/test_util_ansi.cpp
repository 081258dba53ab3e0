#include <doctest/doctest.h>

#include "util/ansi.hpp"

using bbx::util::strip_ansi;

TEST_CASE("text without escape sequences comes back unchanged") {
  CHECK(strip_ansi("") == "");
  CHECK(strip_ansi("plain text, [brackets] and ]") == "plain text, [brackets] and ]");
  CHECK(strip_ansi("tab\there\r\nbell\a \\xFF caf\xc3\xa9") == "tab\there\r\nbell\a \\xFF caf\xc3\xa9");
}

TEST_CASE("SGR colours are removed, the text between them kept") {
  CHECK(strip_ansi("\x1b[31mboom\x1b[0m") == "boom");
  CHECK(strip_ansi("\x1b[1;38;5;208mwarn\x1b[m: disk \x1b[38;2;255;0;0mfull\x1b[0m") == "warn: disk full");
  CHECK(strip_ansi("a\x1b[0mb\x1b[0mc") == "abc");
}

TEST_CASE("cursor moves and erases are removed") {
  CHECK(strip_ansi("\x1b[2K\x1b[1Gprogress 50%") == "progress 50%");
  CHECK(strip_ansi("up\x1b[3Adown\x1b[10;20Hhome\x1b[?25l") == "updownhome");
}

TEST_CASE("OSC titles end at BEL or ST; other string controls too") {
  CHECK(strip_ansi("\x1b]0;my title\aafter") == "after");
  CHECK(strip_ansi("\x1b]2;title\x1b\\after") == "after");
  CHECK(strip_ansi("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == "link");
  CHECK(strip_ansi("\x1bPdevice control\x1b\\x") == "x");
}

TEST_CASE("two-byte and charset escapes are removed") {
  CHECK(strip_ansi("\x1b" "7saved\x1b" "8") == "saved");
  CHECK(strip_ansi("\x1b(Bascii\x1b=") == "ascii");
  CHECK(strip_ansi("a\x1b" "cb") == "ab");
}

TEST_CASE("sequences cut off by the end of the text are dropped whole") {
  CHECK(strip_ansi("done\x1b") == "done");
  CHECK(strip_ansi("done\x1b[") == "done");
  CHECK(strip_ansi("done\x1b[31;1") == "done");
  CHECK(strip_ansi("done\x1b]0;title without end") == "done");
  CHECK(strip_ansi("done\x1b(") == "done");
}

TEST_CASE("an ESC starting no sequence is dropped alone") {
  CHECK(strip_ansi("a\x1b\nb") == "a\nb");
  CHECK(strip_ansi("a\x1b\x1b[31mb") == "ab");
}
