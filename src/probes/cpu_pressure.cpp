#include "probes/cpu_pressure.hpp"

#include <algorithm>
#include <charconv>

#include "probes/kernel_file.hpp"

namespace bbx::probes {

namespace {

std::optional<std::uint64_t> read_stall_us() {
  auto text = read_kernel_file("/proc/pressure/cpu", 4096);
  if (!text) return std::nullopt;
  return parse_cpu_stall_us(*text);
}

}  // namespace

std::optional<std::uint64_t> parse_cpu_stall_us(std::string_view text) {
  // "some avg10=0.00 avg60=0.02 avg300=0.82 total=11536970799\nfull ..."
  while (!text.empty()) {
    auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (!line.starts_with("some ")) continue;
    auto at = line.find(" total=");
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view digits = line.substr(at + 7);
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end == digits.data()) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

CpuPressureWindow::CpuPressureWindow() : start_us_(read_stall_us()), start_(std::chrono::steady_clock::now()) {}

std::optional<double> CpuPressureWindow::fraction() const {
  if (!start_us_) return std::nullopt;
  auto now_us = read_stall_us();
  auto wall_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_).count();
  if (!now_us || *now_us < *start_us_ || wall_us <= 0) return std::nullopt;
  return std::clamp(double(*now_us - *start_us_) / double(wall_us), 0.0, 1.0);
}

}  // namespace bbx::probes
