// Base64 of exact bytes, as the journal keeps bytes that are not UTF-8.
#include "util/base64.hpp"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("base64: padding, NUL and high bytes") {
  using bbx::util::base64;
  CHECK(base64("") == "");
  CHECK(base64(std::string("\xff\x00\x01", 3)) == "/wAB");
  CHECK(base64("hello") == "aGVsbG8=");
  CHECK(base64("hell") == "aGVsbA==");
}
