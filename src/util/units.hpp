// Parsing of the quantities scenario files are written in. Each returns std::nullopt when
// the text is not of the accepted form; callers turn that into a located error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace bbx::util {

// "250ms", "2s", "1.5s", "3m", "1h", "100us", "0". A bare number other than 0 is rejected
// (ambiguous unit). Negative values are rejected.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view text);
// "1.5s" style rendering that parse_duration accepts back.
std::string format_duration(std::chrono::nanoseconds d);

// "64KiB", "16MiB", "1GiB", "512B", "10kB" (1000-based), "100" (bytes).
std::optional<std::uint64_t> parse_size(std::string_view text);
// "512B", "12.0KiB", "80.0MiB", "512MiB", "1.5GiB": binary units, 3 significant digits, for messages.
std::string format_size(std::uint64_t bytes);

// A count constraint: "3", ">= 1", "> 0", "<= 5", "< 2", "1..3" (inclusive), "!= 0".
struct CountRange {
  std::int64_t min = 0;               // inclusive
  std::int64_t max = INT64_MAX;       // inclusive
  std::optional<std::int64_t> not_equal;
  bool contains(std::int64_t n) const {
    return n >= min && n <= max && (!not_equal || n != *not_equal);
  }
  std::string describe() const;       // "exactly 3", "at least 1", "1..3", ...
};
std::optional<CountRange> parse_count(std::string_view text);
// The same forms over any integer-valued quantity, each bound read by `value` (e.g. "< 64MiB"
// in bytes, "<= 2s" in ns); "< X" is "<= X-1". nullopt when the text or a bound is malformed.
using ValueParser = std::function<std::optional<std::int64_t>(std::string_view)>;
std::optional<CountRange> parse_range(std::string_view text, const ValueParser& value);

}  // namespace bbx::util
