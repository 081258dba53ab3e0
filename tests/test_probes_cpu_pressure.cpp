// The machine's CPU pressure over an interval (probes/cpu_pressure.hpp): the "some total="
// figure of /proc/pressure/cpu, and the share of an interval some task waited for a CPU.
#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "probes/cpu_pressure.hpp"

using namespace bbx::probes;

TEST_CASE("the stalled microseconds are the 'some' line's total; a text without one is none") {
  CHECK(parse_cpu_stall_us("some avg10=0.00 avg60=0.02 avg300=0.82 total=11536970799\n"
                           "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n") == 11536970799u);
  CHECK(parse_cpu_stall_us("full avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"
                           "some avg10=1.00 avg60=0.00 avg300=0.00 total=42") == 42u);
  CHECK_FALSE(parse_cpu_stall_us(""));
  CHECK_FALSE(parse_cpu_stall_us("full avg10=0.00 avg60=0.00 avg300=0.00 total=7\n"));
  CHECK_FALSE(parse_cpu_stall_us("some avg10=0.00 avg60=0.00 avg300=0.00\n"));
  CHECK_FALSE(parse_cpu_stall_us("some avg10=0.00 avg60=0.00 avg300=0.00 total=x\n"));
}

TEST_CASE("more runnable threads than CPUs for a while: some task waited most of that time") {
  if (!std::filesystem::exists("/proc/pressure/cpu")) {
    MESSAGE("this kernel has no pressure stall information: skipped");
    CHECK_FALSE(CpuPressureWindow().fraction());
    return;
  }
  CpuPressureWindow window;
  std::atomic<bool> stop{false};
  std::vector<std::thread> spinners;
  long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  for (long i = 0; i < cpus + 2; ++i)  // at least two always waiting for a CPU
    spinners.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
      }
    });
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(400);
  while (std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  stop = true;
  for (auto& t : spinners) t.join();
  auto p = window.fraction();
  REQUIRE(p);
  CHECK(*p <= 1.0);
  CHECK(*p > 0.5);
}
