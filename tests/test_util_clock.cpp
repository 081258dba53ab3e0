#include <doctest/doctest.h>

#include "util/clock.hpp"

using bbx::util::rfc3339_utc;

TEST_CASE("rfc3339_utc formats UTC with microseconds, also across second boundaries") {
  CHECK(rfc3339_utc(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(rfc3339_utc(1'700'000'000'123'456'789) == "2023-11-14T22:13:20.123456Z");
  CHECK(rfc3339_utc(1'700'000'000'000'001'000) == "2023-11-14T22:13:20.000001Z");  // same second, cached prefix
  CHECK(rfc3339_utc(1'700'000'000'999'999'999) == "2023-11-14T22:13:20.999999Z");
  CHECK(rfc3339_utc(1'700'000'001'000'000'000) == "2023-11-14T22:13:21.000000Z");  // next second
  CHECK(rfc3339_utc(1'700'000'000'500'000'000) == "2023-11-14T22:13:20.500000Z");  // and back
}
