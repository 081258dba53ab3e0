#include "util/units.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "util/text.hpp"

namespace bbx::util {

namespace {

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits "250ms" into (250, "ms").
std::pair<std::string_view, std::string_view> split_unit(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  return {s.substr(0, i), trim(s.substr(i))};
}

}  // namespace

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text) {
  text = trim(text);
  if (text == "0") return std::chrono::nanoseconds(0);
  auto [num, unit] = split_unit(text);
  auto value = parse_number(num);
  if (!value || *value < 0) return std::nullopt;
  double scale = 0;
  if (unit == "ns") scale = 1;
  else if (unit == "us") scale = 1e3;
  else if (unit == "ms") scale = 1e6;
  else if (unit == "s") scale = 1e9;
  else if (unit == "m") scale = 60e9;
  else if (unit == "h") scale = 3600e9;
  else return std::nullopt;
  double ns = *value * scale;
  if (ns > 9e18) return std::nullopt;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::llround(ns)));
}

std::string format_duration(std::chrono::nanoseconds d) {
  auto ns = d.count();
  if (ns == 0) return "0";
  if (ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
  if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
  if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
  return std::to_string(ns) + "ns";
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  text = trim(text);
  auto [num, unit] = split_unit(text);
  auto value = parse_number(num);
  if (!value || *value < 0) return std::nullopt;
  double scale = 0;
  if (unit.empty() || unit == "B") scale = 1;
  else if (unit == "KiB") scale = 1024.0;
  else if (unit == "MiB") scale = 1024.0 * 1024;
  else if (unit == "GiB") scale = 1024.0 * 1024 * 1024;
  else if (unit == "kB" || unit == "KB") scale = 1e3;
  else if (unit == "MB") scale = 1e6;
  else if (unit == "GB") scale = 1e9;
  else return std::nullopt;
  return static_cast<std::uint64_t>(std::llround(*value * scale));
}

std::string format_size(std::uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  if (bytes < 1024) return std::to_string(bytes) + "B";
  double v = double(bytes) / 1024;
  std::size_t unit = 0;
  while (v >= 1024 && unit + 1 < std::size(kUnits)) v /= 1024, ++unit;
  char buf[32];
  std::snprintf(buf, sizeof buf, v >= 100 ? "%.0f%s" : "%.1f%s", v, kUnits[unit]);
  return buf;
}

std::optional<CountRange> parse_count(std::string_view text) { return parse_range(text, parse_int); }

std::optional<CountRange> parse_range(std::string_view text, const ValueParser& value) {
  text = trim(text);
  CountRange r;
  auto take = [&](std::string_view op) {
    if (text.substr(0, op.size()) != op) return false;
    text = trim(text.substr(op.size()));
    return true;
  };
  auto bound = [&](std::string_view t) { return value(trim(t)); };
  if (take(">=")) { auto v = bound(text); if (!v) return std::nullopt; r.min = *v; return r; }
  if (take("<=")) { auto v = bound(text); if (!v) return std::nullopt; r.min = INT64_MIN; r.max = *v; return r; }
  if (take("!=")) { auto v = bound(text); if (!v) return std::nullopt; r.min = INT64_MIN; r.not_equal = *v; return r; }
  if (take(">")) { auto v = bound(text); if (!v) return std::nullopt; r.min = *v + 1; return r; }
  if (take("<")) { auto v = bound(text); if (!v) return std::nullopt; r.min = INT64_MIN; r.max = *v - 1; return r; }
  if (take("==")) {}
  if (auto dots = text.find(".."); dots != std::string_view::npos) {
    auto lo = bound(text.substr(0, dots));
    auto hi = bound(text.substr(dots + 2));
    if (!lo || !hi || *lo > *hi) return std::nullopt;
    r.min = *lo; r.max = *hi;
    return r;
  }
  auto v = bound(text);
  if (!v) return std::nullopt;
  r.min = r.max = *v;
  return r;
}

std::string CountRange::describe() const {
  if (not_equal) return "not " + std::to_string(*not_equal);
  if (min == max) return "exactly " + std::to_string(min);
  if (max == INT64_MAX) return "at least " + std::to_string(min);
  if (min == INT64_MIN) return "at most " + std::to_string(max);
  return std::to_string(min) + ".." + std::to_string(max);
}

}  // namespace bbx::util
