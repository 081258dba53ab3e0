// How busy the machine's CPUs were over an interval, from the kernel's pressure stall
// information (PSI, /proc/pressure/cpu, Linux 4.20 and later): the share of wall time during
// which at least one runnable task waited for a CPU ("some"). Machine-wide: the scenario's own
// processes count too. A run on an idle machine reads a few percent; a 2-core machine running
// two other builds reads 60 to 100%. Comparisons use it to tell a slower daemon from a busier
// machine (compare/stats.hpp slowdown()).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace bbx::probes {

// The "some total=" figure (microseconds stalled since boot) of a /proc/pressure/cpu text;
// nullopt when the text has no such line.
std::optional<std::uint64_t> parse_cpu_stall_us(std::string_view pressure_file);

// Started at construction; fraction() reads the file again. Both are none when the kernel has
// no PSI (an old kernel, or psi=0 on its command line). Not thread-safe; cheap (one read).
class CpuPressureWindow {
 public:
  CpuPressureWindow();
  // The share (0..1) of the time since construction during which some task waited for a CPU;
  // none without PSI or when no time has passed.
  std::optional<double> fraction() const;

 private:
  std::optional<std::uint64_t> start_us_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace bbx::probes
