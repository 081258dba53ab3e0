// Time helpers shared by every module: one monotonic clock, RFC 3339 formatting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace bbx::util {

using Clock = std::chrono::steady_clock;

// Nanoseconds on the monotonic clock (CLOCK_MONOTONIC).
std::int64_t monotonic_ns();
// Nanoseconds since the Unix epoch (CLOCK_REALTIME).
std::int64_t realtime_ns();
// "2026-11-22T05:40:01.123456Z" for a realtime nanosecond count.
std::string rfc3339_utc(std::int64_t realtime_ns);
// The same written to out (at least kRfc3339Size bytes; no terminator): the journal's
// serializing path, with no string of its own. Returns the length written.
constexpr std::size_t kRfc3339Size = 40;
std::size_t format_rfc3339_utc(char* out, std::int64_t realtime_ns);
// A compact, sortable id for a run: "20261122-054001-123" (UTC, milliseconds).
std::string run_id_from(std::int64_t realtime_ns);

}  // namespace bbx::util
