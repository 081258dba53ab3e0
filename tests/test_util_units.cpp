#include <doctest/doctest.h>

#include "util/units.hpp"

using namespace bbx::util;
using namespace std::chrono_literals;

TEST_CASE("durations need a unit, except zero") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("2s") == 2s);
  CHECK(parse_duration("1.5s") == 1500ms);
  CHECK(parse_duration("3m") == 180s);
  CHECK(parse_duration("100us") == 100us);
  CHECK(parse_duration("0") == 0ns);
  CHECK_FALSE(parse_duration("5"));
  CHECK_FALSE(parse_duration("-1s"));
  CHECK_FALSE(parse_duration("2 weeks"));
  CHECK_FALSE(parse_duration(""));
  CHECK(format_duration(1500ms) == "1500ms");
  CHECK(format_duration(2s) == "2s");
}

TEST_CASE("sizes accept binary and decimal units") {
  CHECK(parse_size("64KiB") == 65536u);
  CHECK(parse_size("16MiB") == 16u * 1024 * 1024);
  CHECK(parse_size("10kB") == 10000u);
  CHECK(parse_size("512") == 512u);
  CHECK_FALSE(parse_size("12 parsecs"));
}

TEST_CASE("counts: exact, comparisons and ranges") {
  CHECK(parse_count("3")->contains(3));
  CHECK_FALSE(parse_count("3")->contains(4));
  CHECK(parse_count(">= 1")->contains(7));
  CHECK_FALSE(parse_count(">= 1")->contains(0));
  CHECK(parse_count("> 0")->contains(1));
  CHECK(parse_count("< 2")->contains(1));
  CHECK_FALSE(parse_count("< 2")->contains(2));
  CHECK(parse_count("1..3")->contains(2));
  CHECK_FALSE(parse_count("1..3")->contains(4));
  CHECK_FALSE(parse_count("!= 0")->contains(0));
  CHECK_FALSE(parse_count("3..1"));
  CHECK_FALSE(parse_count("lots"));
  CHECK(parse_count("1..3")->describe() == "1..3");
  CHECK(parse_count(">= 1")->describe() == "at least 1");
  CHECK(parse_count("2")->describe() == "exactly 2");
}

TEST_CASE("ranges over sizes and durations use the count syntax") {
  auto size = [](std::string_view t) -> std::optional<std::int64_t> {
    auto v = parse_size(t);
    return v ? std::optional<std::int64_t>(std::int64_t(*v)) : std::nullopt;
  };
  auto r = parse_range("< 64MiB", size);
  REQUIRE(r);
  CHECK(r->contains(64 * 1024 * 1024 - 1));
  CHECK_FALSE(r->contains(64 * 1024 * 1024));
  CHECK(parse_range("1MiB..2MiB", size)->contains(1536 * 1024));
  CHECK(parse_range(">= 1.5KiB", size)->min == 1536);
  CHECK_FALSE(parse_range("lots", size));
  CHECK_FALSE(parse_range("< lots", size));
  auto ns = [](std::string_view t) -> std::optional<std::int64_t> {
    auto v = parse_duration(t);
    return v ? std::optional<std::int64_t>(v->count()) : std::nullopt;
  };
  CHECK(parse_range("<= 2s", ns)->max == 2'000'000'000);
  CHECK_FALSE(parse_range("< 2", ns));
}

TEST_CASE("sizes are formatted with binary units and three significant digits") {
  CHECK(format_size(0) == "0B");
  CHECK(format_size(1023) == "1023B");
  CHECK(format_size(1536) == "1.5KiB");
  CHECK(format_size(68583424) == "65.4MiB");
  CHECK(format_size(512ull * 1024 * 1024) == "512MiB");
  CHECK(format_size(3ull << 30) == "3.0GiB");
}
