// Robust statistics for baselines: what N runs of a scenario say a number's distribution is
// (median, MAD, quartiles), and whether a new run's value falls outside it with a stated
// confidence. Pure functions; thread-safe.
//
// The rule (judge): a new value x is outside when
//     |x - median| > max(t(c, n-1) * sigma * sqrt(1 + 1/n), floor, relative * |median|)
// where sigma is a robust standard deviation, max(1.4826 * MAD, IQR / 1.349) (both estimate
// the standard deviation of a normal distribution, and neither is moved by one wild run),
// t(c, n-1) the two-sided Student t quantile for confidence c with n-1 degrees of freedom
// (a prediction interval for one new observation), floor the smallest difference that
// matters (a duration the scheduler alone can cause) and relative the smallest fraction of
// the median that matters: a distribution whose runs were all equal does not turn a
// scheduling stall into a failure, nor a long duration its usual few percent. The
// interval's low end is clamped at 0 for quantities that cannot be negative. The effect
// size reported is the robust z-score (x - median) / sigma, with the absolute and relative
// difference.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

namespace bbx::compare {

double median(std::vector<double> values);  // 0 for none
// The q-quantile (0..1) of sorted values, interpolating linearly between order statistics
// (R's type 7). 0 for none.
double quantile_sorted(const std::vector<double>& sorted, double q);
// Median absolute deviation from the median (unscaled).
double mad(const std::vector<double>& values);

struct Distribution {
  std::size_t n = 0;
  double median = 0, mad = 0, q1 = 0, q3 = 0, min = 0, max = 0;
  // max(1.4826 * mad, (q3 - q1) / 1.349): a robust standard deviation.
  double sigma() const;
};
Distribution describe(const std::vector<double>& samples);

// The two-sided Student t quantile: the t with P(|T| <= t) = confidence for dof degrees of
// freedom (confidence in (0, 1), dof >= 1). E.g. 0.95 and 9 give 2.262.
double student_t_two_sided(double confidence, int dof);

struct Judgement {
  bool outside = false;
  bool outside_unwidened = false;      // outside with slower = faster = 1
  double low = 0, high = 0;            // the interval values are expected in
  bool clamped = false;                // low was below 0 and is 0 (non_negative)
  double delta = 0;                    // x - median
  std::optional<double> relative;      // delta / |median|; none when the median is 0
  std::optional<double> effect;        // robust z-score; none when sigma is 0
};

// Judges x against d (d.n >= 2) with the rule above. For durations measured on a machine
// busier (or idler) than the one d was learned on (slowdown() below; both 1 otherwise), the
// high end is taken around median * slower and the low end around median / faster, the
// spread and the relative floor scaled alike; the absolute floor is not scaled (a stall of
// the scheduler is no longer on a busier machine than the floor already allows for).
Judgement judge(const Distribution& d, double x, double confidence, double floor, double relative = 0,
                bool non_negative = false, double slower = 1, double faster = 1);

// How much longer a duration may take on a machine whose CPU pressure (the share of time
// some task waited for a CPU, probes/cpu_pressure.hpp) was `busier` than on one where it was
// `reference`: the ratio of their stretches (util/cpu_stretch.hpp), from 1 (no busier) to 10.
double slowdown(double busier, double reference);

}  // namespace bbx::compare
