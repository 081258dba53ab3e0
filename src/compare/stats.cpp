#include "compare/stats.hpp"

#include <algorithm>
#include <cmath>

#include "util/cpu_stretch.hpp"

namespace bbx::compare {

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, 0.5);
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double pos = q * double(sorted.size() - 1);
  auto lo = std::size_t(std::floor(pos));
  auto hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - double(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

double mad(const std::vector<double>& values) {
  double m = median(values);
  std::vector<double> dev;
  dev.reserve(values.size());
  for (double v : values) dev.push_back(std::fabs(v - m));
  return median(std::move(dev));
}

double Distribution::sigma() const { return std::max(1.4826 * mad, (q3 - q1) / 1.349); }

Distribution describe(const std::vector<double>& samples) {
  Distribution d;
  d.n = samples.size();
  if (samples.empty()) return d;
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  d.median = quantile_sorted(sorted, 0.5);
  d.q1 = quantile_sorted(sorted, 0.25);
  d.q3 = quantile_sorted(sorted, 0.75);
  d.min = sorted.front();
  d.max = sorted.back();
  d.mad = mad(samples);
  return d;
}

namespace {

// The continued fraction of the regularized incomplete beta function (modified Lentz).
double beta_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-15;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + num / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < eps) break;
  }
  return h;
}

// I_x(a, b).
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

// P(|T| <= t) for t >= 0.
double t_two_sided_probability(double t, int dof) {
  double v = dof;
  return 1 - incomplete_beta(v / 2, 0.5, v / (v + t * t));
}

}  // namespace

double student_t_two_sided(double confidence, int dof) {
  dof = std::max(dof, 1);
  confidence = std::clamp(confidence, 1e-9, 1 - 1e-12);
  double lo = 0, hi = 1;
  while (t_two_sided_probability(hi, dof) < confidence) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {
    double mid = (lo + hi) / 2;
    (t_two_sided_probability(mid, dof) < confidence ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

Judgement judge(const Distribution& d, double x, double confidence, double floor, double relative, bool non_negative,
                double slower, double faster) {
  Judgement j;
  double sigma = d.sigma();
  std::size_t n = std::max<std::size_t>(d.n, 2);
  const double spread = student_t_two_sided(confidence, int(n) - 1) * sigma * std::sqrt(1 + 1.0 / double(n));
  // The interval around a centre: the spread and the relative floor scale with it, the
  // absolute floor (a scheduling stall) does not.
  auto half_at = [&](double scale) { return std::max({spread * scale, floor, relative * std::fabs(d.median) * scale}); };
  j.low = d.median - half_at(1);
  j.high = d.median + half_at(1);
  j.outside_unwidened = x < std::max(j.low, non_negative ? 0.0 : j.low) || x > j.high;
  if (slower > 1) j.high = d.median * slower + half_at(slower);
  if (faster > 1) j.low = d.median / faster - half_at(1 / faster);
  if (non_negative && j.low < 0) {
    j.low = 0;
    j.clamped = true;
  }
  j.delta = x - d.median;
  j.outside = x < j.low || x > j.high;
  if (d.median != 0) j.relative = j.delta / std::fabs(d.median);
  if (sigma > 0) j.effect = j.delta / sigma;
  return j;
}

double slowdown(double busier, double reference) {
  return std::max(1.0, util::cpu_stretch(busier) / util::cpu_stretch(reference));
}

}  // namespace bbx::compare
