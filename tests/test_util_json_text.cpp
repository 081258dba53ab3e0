// The hot-path JSON text writers: every form they take a shortcut for (empty, short, long,
// single-digit) must give the text nlohmann gives, and anything needing escapes must still parse.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "util/json_text.hpp"

using bbx::util::append_json_number;
using bbx::util::append_json_string;
using bbx::util::TextBuffer;

namespace {

std::string as_string(std::string_view s) {
  TextBuffer out;
  out.literal("x");  // not at the buffer's start: a taken-back copy must leave the prefix alone
  append_json_string(out, s);
  return std::string(out.view().substr(1));
}

template <class Int>
std::string as_number(Int n) {
  TextBuffer out;
  append_json_number(out, n);
  return std::string(out.view());
}

}  // namespace

TEST_CASE("strings of every length are quoted as they are when nothing needs escaping") {
  const std::string safe = "abcXYZ019 .:/-_~!#$%&'()*+,;<=>?@[]^`{|}";  // printable, no quote or backslash
  for (std::size_t size : {0u, 1u, 15u, 64u, 65u, 300u}) {
    std::string s(size, ' ');
    for (std::size_t i = 0; i < size; ++i) s[i] = safe[i % safe.size()];
    CAPTURE(size);
    CHECK(as_string(s) == "\"" + s + "\"");
  }
}

TEST_CASE("strings needing escapes, short or long, are encoded as nlohmann encodes them") {
  using nlohmann::json;
  for (const std::string& s : {std::string("a\"b"), std::string("tab\t"), std::string(63, 'x') + "\\",
                               std::string(100, 'y') + "\n", std::string("\x01"), std::string(70, 'z') + "\"end"}) {
    CAPTURE(s);
    CHECK(as_string(s) == json(s).dump());
    CHECK(json::parse(as_string(s)) == s);
  }
  // Invalid UTF-8, short and long: the bad bytes as \xHH, so the line still parses and two
  // different byte strings stay different.
  CHECK(json::parse(as_string("bad \xff")) == "bad \\xFF");
  CHECK(json::parse(as_string("bad \xfe")) == "bad \\xFE");
  CHECK(json::parse(as_string(std::string(80, 'w') + "\xfe")) == std::string(80, 'w') + "\\xFE");
}

TEST_CASE("numbers around the single-digit shortcut and at the limits") {
  CHECK(as_number(std::int64_t{0}) == "0");
  CHECK(as_number(std::int64_t{9}) == "9");
  CHECK(as_number(std::int64_t{10}) == "10");
  CHECK(as_number(std::int64_t{-1}) == "-1");
  CHECK(as_number(std::numeric_limits<std::int64_t>::min()) == "-9223372036854775808");
  CHECK(as_number(std::uint64_t{0}) == "0");
  CHECK(as_number(std::uint64_t{7}) == "7");
  CHECK(as_number(std::numeric_limits<std::uint64_t>::max()) == "18446744073709551615");
}
