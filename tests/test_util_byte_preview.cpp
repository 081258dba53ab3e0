// Bytes quoted for people: escapes, head and tail of long text with the count between, the
// first difference of two texts.
#include <doctest/doctest.h>

#include "util/byte_preview.hpp"

using namespace bbx::util;

TEST_CASE("bytes are quoted with what matters escaped and UTF-8 text kept") {
  CHECK(quoted_bytes("hello\n") == "\"hello\\n\"");
  CHECK(quoted_bytes(std::string("a\0b\r\t\"\\", 7)) == "\"a\\x00b\\r\\t\\\"\\\\\"");
  CHECK(quoted_bytes("héllo") == "\"héllo\"");
  CHECK(quoted_bytes("\xff\xfe") == "\"\\xFF\\xFE\"");
  CHECK(quoted_bytes("\x1b[31m") == "\"\\x1B[31m\"");
}

TEST_CASE("a long text shows its head and tail and how many bytes are left out") {
  std::string text = std::string(100, 'a') + "\n";
  CHECK(byte_preview(text, 4, 3) == "\"aaaa\" … (94 bytes) … \"aa\\n\"");
  CHECK(byte_preview("short", 4, 3) == "\"short\"");
  // A cut never splits a UTF-8 character.
  CHECK(byte_preview("ééééé", 3, 3) == "\"é\" … (6 bytes) … \"é\"");
}

TEST_CASE("the first difference and thousands separators") {
  CHECK(first_difference("hello", "hello\n") == 5);
  CHECK(first_difference("abc", "abd") == 2);
  CHECK(first_difference("same", "same") == std::string_view::npos);
  CHECK(grouped(0) == "0");
  CHECK(grouped(999) == "999");
  CHECK(grouped(1234567) == "1,234,567");
}
