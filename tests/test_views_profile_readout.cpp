// The live readout of `bbx profile` (views/profile_readout.hpp): its text from two samples,
// and following a journal as it grows (complete lines only).
#include <doctest/doctest.h>

#include <fstream>

#include "journal/event_json.hpp"
#include "profile_test_support.hpp"
#include "views/profile_readout.hpp"

using namespace bbx;
using namespace bbx::views;

TEST_CASE("the readout line: elapsed, CPU over the last interval, RSS, I/O rate, processes") {
  ProfileSample a, b;
  a.t_ns = 1'000'000'000;
  a.cpu_ms = 100;
  b.t_ns = 1'500'000'000;
  b.cpu_ms = 350;
  b.rss_bytes = 3 * 1024 * 1024;
  b.processes = 2;
  CHECK(ProfileReadout::line(&a, b, 0) == "1.5s  CPU 50.0%  RSS 3.0 MiB  2 procs");
  a.read_bytes = 0;
  b.read_bytes = 1024 * 1024;
  a.write_bytes = b.write_bytes = 0;
  CHECK(ProfileReadout::line(&a, b, 500'000'000) == "1.0s  CPU 50.0%  RSS 3.0 MiB  I/O r 2.0 MiB/s w 0 B/s  2 procs");
  b.processes = 1;
  CHECK(ProfileReadout::line(nullptr, b, 0) == "1.5s  CPU -  RSS 3.0 MiB  1 proc");
}

TEST_CASE("the readout follows a journal as it grows, a line at a time") {
  testing::JournalFile file("profile_readout");
  ProfileReadout readout(file.path());
  CHECK_FALSE(readout.poll());
  file.add(0, {"subject", "build", 10}, "process.spawn", {{"argv", {"x"}}});
  CHECK_FALSE(readout.poll());  // no sample yet
  file.add(1000, {"subject", "build", 10}, "resource.sample", {{"rss_bytes", 2048}, {"cpu_ms", 0}, {"fds", 3}, {"threads", 1}, {"processes", 1}});
  CHECK(readout.poll() == std::optional<std::string>("1.0s  CPU -  RSS 2.0 KiB  1 proc"));
  CHECK_FALSE(readout.poll());
  {  // half a line: not read until it is complete
    std::ofstream out(file.path(), std::ios::app);
    out << R"({"seq":3,"t_ns":2000000000,)";
  }
  CHECK_FALSE(readout.poll());
  {
    std::ofstream out(file.path(), std::ios::app);
    out << R"("wall":"2026-12-06T00:00:00.000000Z","source":{"kind":"subject","name":"build","pid":10},"type":"resource.sample","body":{"cpu_ms":500,"fds":3,"processes":1,"rss_bytes":4096,"threads":1},"attrs":{}})" << "\n";
  }
  CHECK(readout.poll() == std::optional<std::string>("2.0s  CPU 50.0%  RSS 4.0 KiB  1 proc"));
}
