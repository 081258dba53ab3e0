// Sample accounting on recorded tree totals: monotonic totals, cgroup CPU, the RSS peak,
// values carried over between detail ticks, and the body's text and tree.
#include <doctest/doctest.h>

#include "profile/sample_accounting.hpp"

using namespace bbx;
using namespace bbx::profile;

namespace {

probes::TreeUsage tree(std::uint64_t rss, std::uint64_t user_ms, std::uint64_t system_ms, bool detail = true) {
  probes::TreeUsage u;
  u.rss_bytes = rss;
  u.cpu_user_ms = user_ms;
  u.cpu_system_ms = system_ms;
  u.cpu_ms = user_ms + system_ms;
  u.processes = 1;
  u.threads = 2;
  u.fds_read = u.status_read = u.io_read = detail;
  if (detail) {
    u.fds = 5;
    u.hwm_sum_bytes = rss;
    u.read_bytes = 100, u.write_bytes = 10, u.ctx_voluntary = 7, u.ctx_involuntary = 1;
  }
  probes::ProcessUsage p;
  p.pid = 42, p.ppid = 41, p.comm = "a \"quoted\" name", p.cpu_ms = u.cpu_ms, p.rss_bytes = rss, p.threads = 2;
  if (detail) p.read_bytes = 100, p.write_bytes = 10;
  u.procs.push_back(p);
  return u;
}

}  // namespace

TEST_CASE("totals never go back: a process missed for one sample keeps the last value") {
  SampleAccount a;
  auto s1 = a.next(tree(1000, 50, 20), std::nullopt, std::nullopt);
  CHECK(s1.cpu_ms == 70);
  CHECK_FALSE(s1.cgroup);
  auto s2 = a.next(tree(900, 40, 25), std::nullopt, std::nullopt);  // user dropped: a reaped child was missed
  CHECK(s2.cpu_user_ms == 50);
  CHECK(s2.cpu_system_ms == 25);
  CHECK(s2.cpu_ms == 75);
  CHECK(s2.rss_bytes == 900);
  CHECK(s2.rss_peak_bytes == 1000);  // never below an earlier rss_bytes
}

TEST_CASE("fds, I/O and context switches are carried over on ticks that skip those files; VmHWM raises the peak") {
  SampleAccount a;
  auto first = tree(1000, 1, 1);
  first.hwm_sum_bytes = 5000;  // a burst between samples, seen by VmHWM
  auto s1 = a.next(std::move(first), std::nullopt, std::nullopt);
  CHECK(s1.rss_peak_bytes == 5000);
  CHECK(s1.read_bytes == 100);
  auto s2 = a.next(tree(2000, 2, 2, false), std::nullopt, std::nullopt);
  CHECK(s2.fds == 5);
  CHECK(s2.read_bytes == 100);
  CHECK(s2.write_bytes == 10);
  CHECK(s2.ctx_voluntary == 7);
  CHECK(s2.rss_peak_bytes == 5000);
  CHECK_FALSE(s2.procs[0].read_bytes);
}

TEST_CASE("a tree in its cgroup takes its CPU from cpu.stat and its peak from memory.peak when there") {
  SampleAccount a;
  probes::CgroupStats cg;
  cg.cpu = probes::CgroupCpu{1'234'567, 1'000'000, 234'567};
  auto s = a.next(tree(1000, 1, 1), cg, std::nullopt);
  CHECK(s.cgroup);
  CHECK(s.cpu_user_ms == 1000);
  CHECK(s.cpu_system_ms == 234);
  CHECK(s.cpu_ms == 1234);
  cg.memory_peak = 1'000'000;
  CHECK(a.next(tree(1000, 1, 1), cg, std::nullopt).rss_peak_bytes == 1'000'000);
  probes::CgroupStats no_cpu;  // cpu.stat unreadable this time: the /proc totals, kept monotonic
  auto fallback = a.next(tree(1000, 5, 5), no_cpu, std::nullopt);
  CHECK_FALSE(fallback.cgroup);
  CHECK(fallback.cpu_ms == 1234);
}

TEST_CASE("the body as text is the body as a tree, with every contract field") {
  SampleAccount a;
  auto s = a.next(tree(4096, 3, 4), std::nullopt, std::uint64_t{2048});
  auto body = sample_body(s);
  util::TextBuffer text;
  body->append_text(text);
  auto parsed = nlohmann::json::parse(text.view());
  CHECK(parsed == body->tree());
  for (const char* key : {"rss_bytes", "rss_peak_bytes", "cpu_ms", "cpu_user_ms", "cpu_system_ms", "fds", "threads",
                          "processes", "read_bytes", "write_bytes", "ctx_voluntary", "ctx_involuntary", "pss_bytes"})
    CHECK_MESSAGE(parsed.at(key).is_number_integer(), key);
  CHECK(parsed.at("accounting") == "proc");
  CHECK(parsed.at("pss_bytes") == 2048);
  auto p = parsed.at("procs").at(0);
  CHECK(p.at("pid") == 42);
  CHECK(p.at("ppid") == 41);
  CHECK(p.at("comm") == "a \"quoted\" name");
  CHECK(p.at("cpu_ms") == 7);
  CHECK(p.at("rss_bytes") == 4096);
  CHECK(p.at("threads") == 2);
  CHECK(p.at("read_bytes") == 100);
  CHECK(p.at("write_bytes") == 10);
  auto no_pss = a.next(tree(4096, 3, 4, false), std::nullopt, std::nullopt);
  auto t = sample_body(no_pss)->tree();
  CHECK_FALSE(t.contains("pss_bytes"));
  CHECK_FALSE(t.at("procs").at(0).contains("read_bytes"));
}
