#include "util/clock.hpp"

#include <algorithm>
#include <cstring>
#include <ctime>
#include <cstdio>

namespace bbx::util {

namespace {
std::int64_t read_clock(clockid_t id) {
  timespec ts{};
  clock_gettime(id, &ts);
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::tm utc_tm(std::int64_t ns) {
  std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::int64_t monotonic_ns() { return read_clock(CLOCK_MONOTONIC); }
std::int64_t realtime_ns() { return read_clock(CLOCK_REALTIME); }

std::size_t format_rfc3339_utc(char* out, std::int64_t ns) {
  // The date and time of day change once a second: formatted once per second and thread.
  thread_local std::int64_t cached_second = -1;
  thread_local char prefix[64];
  thread_local std::size_t prefix_size = 0;
  std::int64_t second = ns / 1'000'000'000;
  if (second != cached_second) {
    std::tm tm = utc_tm(ns);
    int n = std::snprintf(prefix, sizeof prefix, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    prefix_size = std::min(static_cast<std::size_t>(std::max(n, 0)), kRfc3339Size - 7);
    cached_second = second;
  }
  std::memcpy(out, prefix, prefix_size);
  char* micros = out + prefix_size;
  int us = static_cast<int>((ns % 1'000'000'000) / 1000);
  for (int i = 5; i >= 0; --i, us /= 10) micros[i] = static_cast<char>('0' + us % 10);
  micros[6] = 'Z';
  return prefix_size + 7;
}

std::string rfc3339_utc(std::int64_t ns) {
  char buf[kRfc3339Size];
  return std::string(buf, format_rfc3339_utc(buf, ns));
}

std::string run_id_from(std::int64_t ns) {
  std::tm tm = utc_tm(ns);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d%02d%02d-%03d", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((ns % 1'000'000'000) / 1'000'000));
  return buf;
}

}  // namespace bbx::util
