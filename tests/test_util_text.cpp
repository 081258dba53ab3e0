#include <doctest/doctest.h>

#include "util/signals.hpp"
#include "util/text.hpp"

using namespace bbx::util;

TEST_CASE("closest_match suggests plausible typos only") {
  CHECK(closest_match("respnd", {"respond", "match"}) == "respond");
  CHECK(closest_match("subjets", {"fakes", "subjects", "steps"}) == "subjects");
  CHECK(closest_match("zzzzzz", {"respond", "match"}).empty());
}

TEST_CASE("glob_match handles stars and question marks") {
  CHECK(glob_match("/api/*", "/api/x"));
  CHECK(glob_match("/api/*", "/api/"));
  CHECK_FALSE(glob_match("/api/*", "/apx/y"));
  CHECK(glob_match("/a?c", "/abc"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("/v*/items/*", "/v2/items/7"));
}

TEST_CASE("signal names round-trip") {
  CHECK(signal_from_name("HUP") == 1);
  CHECK(signal_from_name("SIGTERM") == 15);
  CHECK(signal_from_name("9") == 9);
  CHECK_FALSE(signal_from_name("SIGNOPE"));
  CHECK(signal_name(15) == "SIGTERM");
}

TEST_CASE("iequals compares ASCII case-insensitively") {
  CHECK(iequals("Content-Type", "content-TYPE"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Content-Type", "Content-Typ"));
  CHECK_FALSE(iequals("a", "b"));
}
