// The stretch of work on a machine with CPU pressure: 1 / (1 - p), p clamped to [0, 0.9].
#include <doctest/doctest.h>

#include "util/cpu_stretch.hpp"

using bbx::util::cpu_stretch;

TEST_CASE("a task waiting a share p of the time runs 1 / (1 - p) as long, from x1 to x10") {
  CHECK(cpu_stretch(0) == doctest::Approx(1));
  CHECK(cpu_stretch(0.5) == doctest::Approx(2));
  CHECK(cpu_stretch(0.75) == doctest::Approx(4));
  CHECK(cpu_stretch(0.9) == doctest::Approx(10));
  CHECK(cpu_stretch(1.0) == doctest::Approx(10));   // capped: a saturated machine says nothing finer
  CHECK(cpu_stretch(-0.2) == doctest::Approx(1));   // a bad reading is no speed-up
}
