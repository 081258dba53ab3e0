// Robust statistics of baselines: median, MAD, quantiles, the Student t quantile and the
// rule that decides whether a new value lies outside a learned distribution.
#include <doctest/doctest.h>

#include <cmath>

#include "compare/stats.hpp"

using namespace bbx::compare;

TEST_CASE("median, quantiles and MAD of small samples") {
  CHECK(median({}) == 0);
  CHECK(median({3}) == 3);
  CHECK(median({5, 1, 3}) == 3);
  CHECK(median({4, 1, 3, 2}) == doctest::Approx(2.5));
  CHECK(quantile_sorted({1, 2, 3, 4, 5}, 0.25) == doctest::Approx(2));
  CHECK(quantile_sorted({1, 2, 3, 4}, 0.75) == doctest::Approx(3.25));
  CHECK(mad({1, 1, 2, 2, 4, 6, 9}) == doctest::Approx(1));  // median 2, deviations 1 1 0 0 2 4 7
  auto d = describe({10, 12, 11, 13, 100});
  CHECK(d.n == 5);
  CHECK(d.median == 12);
  CHECK(d.min == 10);
  CHECK(d.max == 100);
  CHECK(d.mad == 1);  // one wild run does not move it
}

TEST_CASE("the two-sided Student t quantile matches the tables") {
  CHECK(student_t_two_sided(0.95, 9) == doctest::Approx(2.262).epsilon(0.001));
  CHECK(student_t_two_sided(0.99, 4) == doctest::Approx(4.604).epsilon(0.001));
  CHECK(student_t_two_sided(0.999, 9) == doctest::Approx(4.781).epsilon(0.001));
  CHECK(student_t_two_sided(0.95, 1) == doctest::Approx(12.706).epsilon(0.001));
  CHECK(student_t_two_sided(0.95, 100000) == doctest::Approx(1.960).epsilon(0.001));
}

TEST_CASE("judge: inside the prediction interval, outside it, and the floor for runs that were all equal") {
  auto d = describe({100, 102, 98, 101, 99, 100, 103, 97, 100, 101});
  auto in = judge(d, 104, 0.999, 0);
  CHECK_FALSE(in.outside);
  auto out = judge(d, 130, 0.999, 0);
  CHECK(out.outside);
  CHECK(out.delta == doctest::Approx(30));
  REQUIRE(out.effect);
  CHECK(*out.effect > 10);
  REQUIRE(out.relative);
  CHECK(*out.relative == doctest::Approx(0.3));
  CHECK(out.low < 100);
  CHECK(out.high > 100);

  auto flat = describe({5, 5, 5, 5, 5});
  CHECK(flat.sigma() == 0);
  CHECK_FALSE(judge(flat, 6, 0.999, 2).outside);  // within the floor
  CHECK(judge(flat, 8, 0.999, 2).outside);
  CHECK_FALSE(judge(flat, 8, 0.999, 2).effect);   // no spread: no z-score to give
}

TEST_CASE("a wider confidence widens the interval") {
  auto d = describe({10, 11, 9, 10, 12, 8, 10, 11, 9, 10});
  auto narrow = judge(d, 0, 0.9, 0);
  auto wide = judge(d, 0, 0.9999, 0);
  CHECK(wide.high - wide.low > narrow.high - narrow.low);
}

TEST_CASE("judge: a floor relative to the median, and the low end clamped at 0 for quantities that cannot be negative") {
  auto d = describe({1000, 1010, 990, 1000, 1005, 995, 1000, 1000, 1002, 998});
  CHECK_FALSE(judge(d, 1400, 0.99, 250, 0.5).outside);  // +400: over the absolute floor, under half the median
  CHECK(judge(d, 1600, 0.99, 250, 0.5).outside);
  CHECK(judge(d, 1400, 0.99, 250, 0).outside);  // no relative floor: the absolute one decides

  auto small = describe({5, 5, 6, 5, 5});
  auto clamped = judge(small, 7, 0.99, 250, 0.5, true);
  CHECK(clamped.low == 0);
  CHECK(clamped.clamped);
  CHECK(clamped.high == doctest::Approx(255));
  auto signed_value = judge(small, 7, 0.99, 250, 0.5, false);
  CHECK(signed_value.low == doctest::Approx(-245));
  CHECK_FALSE(signed_value.clamped);
}

TEST_CASE("slowdown: the ratio of the expected stretches 1 / (1 - p), capped at 10, never below 1") {
  CHECK(slowdown(0.5, 0.0) == doctest::Approx(2.0));
  CHECK(slowdown(0.75, 0.5) == doctest::Approx(2.0));
  CHECK(slowdown(0.0, 0.5) == 1.0);  // an idler machine: no stretch this way
  CHECK(slowdown(1.0, 0.0) == doctest::Approx(10.0));
  CHECK(slowdown(0.3, 0.3) == 1.0);
}

TEST_CASE("judge: slower stretches the interval's high end, faster shrinks its low end") {
  Distribution d;
  d.n = 10;
  d.median = 1000;
  d.mad = 0;
  auto plain = judge(d, 1900, 0.99, 100, 0.5);  // interval 500 .. 1500
  CHECK(plain.outside);
  CHECK(plain.outside_unwidened);
  auto stretched = judge(d, 1900, 0.99, 100, 0.5, true, 2.0);  // 500 .. 3000
  CHECK_FALSE(stretched.outside);
  CHECK(stretched.outside_unwidened);
  CHECK(stretched.high == doctest::Approx(3000));
  CHECK(judge(d, 3100, 0.99, 100, 0.5, true, 2.0).outside);
  auto shrunk = judge(d, 300, 0.99, 100, 0.5, true, 1, 2.0);  // 250 .. 1500
  CHECK_FALSE(shrunk.outside);
  CHECK(shrunk.low == doctest::Approx(250));
  CHECK(judge(d, 200, 0.99, 100, 0.5, true, 1, 2.0).outside);
}

TEST_CASE("judge: a busier machine scales the centre, the spread and the relative floor, not the absolute floor") {
  Distribution d;
  d.n = 10;
  d.median = 5;  // a readiness of 5 ms, all runs equal
  d.mad = 0;
  // 250 ms floor: the interval is 0 .. 255 ms; on a machine 5x busier, 0 .. 25 + 250 ms.
  auto j = judge(d, 260, 0.99, 250, 0.5, true, 5.0);
  CHECK(j.outside_unwidened);
  CHECK_FALSE(j.outside);
  CHECK(j.high == doctest::Approx(275));
  // A drift of 300 ms is still one: a stall does not last longer than the floor allows.
  CHECK(judge(d, 305, 0.99, 250, 0.5, true, 5.0).outside);
}
