// Reading kernel files whole: what is there, at most max bytes; a failing read is nullopt,
// never an exception (a /proc file of a process that exits between open and read fails so).
#include <doctest/doctest.h>

#include <unistd.h>

#include <string>

#include "probes/kernel_file.hpp"

using bbx::probes::read_kernel_file;

TEST_CASE("a /proc file is read whole, up to max bytes") {
  auto cmdline = read_kernel_file("/proc/self/cmdline");
  REQUIRE(cmdline);
  CHECK(cmdline->find("bbx_unit_tests") != std::string::npos);
  auto stat = read_kernel_file("/proc/self/stat");
  REQUIRE(stat);
  CHECK(stat->rfind(std::to_string(::getpid()) + " (", 0) == 0);
  auto cut = read_kernel_file("/proc/self/stat", 3);
  REQUIRE(cut);
  CHECK(cut->size() == 3);
}

TEST_CASE("a file that cannot be opened, or whose read fails, is nullopt and throws nothing") {
  CHECK_FALSE(read_kernel_file("/proc/999999999/cmdline"));
  // A directory opens but its read fails (EISDIR), as a vanished process's file does (ESRCH);
  // std::ifstream through istreambuf_iterator threw std::ios_base::failure there.
  CHECK_NOTHROW(CHECK_FALSE(read_kernel_file("/proc/self")));
}
