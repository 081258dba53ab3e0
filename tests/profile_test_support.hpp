// Journals of resource profiles written by hand, for the tests of views/profile_* and of
// `bbx profile --compare`: one subject, `build` (make -j2), four samples 100 ms apart with
// every field of issue #19's resource.sample contract (per-process detail, PSS on two
// ticks only), exiting with code 2; and the same measured with the fields journals had
// before (rss_bytes, cpu_ms, fds, threads, processes only).
//
// The numbers (scale 1): cpu_ms 0, 100, 150, 150 (user 0/80/120/120, system 0/20/30/30);
// rss 1, 3, 2, 1 MiB, peak 1, 3, 4, 4 MiB; read 0, 1, 1.5, 1.5 MiB; written 0, 0, 0.5, 1 MiB;
// fds 4, 6, 5, 4; threads and processes 1, 2, 2, 1; PSS 900 KiB and 1800 KiB at samples 1
// and 3; processes make (100, always), cc (101, sample 2: 90 ms, 2 MiB) and ld (102,
// sample 3: 40 ms, 1 MiB). Spawned at 1 ms, samples at 101..401 ms, exit at 451 ms.
#pragma once

#include "views_test_support.hpp"

namespace bbx::testing {

struct ProfileJournalSpec {
  double cpu_scale = 1;         // every cpu_ms multiplied
  std::int64_t rss_extra = 0;   // added to every rss and peak
  bool new_fields = true;       // false: only the fields of journals before issue #19
  double exit_ms = 451;
  int exit_code = 2;
};

inline void write_profile_journal(JournalFile& j, const ProfileJournalSpec& spec = {}) {
  using nlohmann::json;
  constexpr std::int64_t MiB = 1024 * 1024;
  auto cpu = [&](double ms) { return static_cast<std::int64_t>(ms * spec.cpu_scale); };
  j.add(0, {"scenario", "profile build", 0}, "scenario.begin", {{"id", "profile build"}, {"name", "profile build"}});
  j.add(1, {"subject", "build", 100}, "process.spawn", {{"argv", {"make", "-j2"}}, {"cwd", "/src"}, {"executable", "/usr/bin/make"}});
  struct Row {
    double cpu, user, sys;
    std::int64_t rss, peak, read, write, fds, threads, vol, invol;
    std::int64_t pss;  // -1: not read this tick
    json procs;
  };
  auto proc = [&](int pid, int ppid, const char* comm, double cpu_ms, std::int64_t rss) {
    return json{{"pid", pid}, {"ppid", ppid}, {"comm", comm}, {"cpu_ms", cpu(cpu_ms)}, {"rss_bytes", rss}, {"threads", 1}};
  };
  Row rows[] = {
      {0, 0, 0, 1 * MiB, 1 * MiB, 0, 0, 4, 1, 1, 0, 900 * 1024, json::array({proc(100, 1, "make", 0, 1 * MiB)})},
      {100, 80, 20, 3 * MiB, 3 * MiB, 1 * MiB, 0, 6, 2, 5, 1, -1,
       json::array({proc(100, 1, "make", 10, 1 * MiB), proc(101, 100, "cc", 90, 2 * MiB)})},
      {150, 120, 30, 2 * MiB, 4 * MiB, 3 * MiB / 2, MiB / 2, 5, 2, 9, 2, 1800 * 1024,
       json::array({proc(100, 1, "make", 20, 1 * MiB), proc(102, 100, "ld", 40, 1 * MiB)})},
      {150, 120, 30, 1 * MiB, 4 * MiB, 3 * MiB / 2, 1 * MiB, 4, 1, 10, 2, -1, json::array({proc(100, 1, "make", 20, 1 * MiB)})},
  };
  double t = 101;
  for (const auto& r : rows) {
    json body = {{"rss_bytes", r.rss + spec.rss_extra}, {"cpu_ms", cpu(r.cpu)}, {"fds", r.fds},
                 {"threads", r.threads}, {"processes", r.threads}};
    if (spec.new_fields) {
      body["cpu_user_ms"] = cpu(r.user);
      body["cpu_system_ms"] = cpu(r.sys);
      body["rss_peak_bytes"] = r.peak + spec.rss_extra;
      body["read_bytes"] = r.read;
      body["write_bytes"] = r.write;
      body["ctx_voluntary"] = r.vol;
      body["ctx_involuntary"] = r.invol;
      body["accounting"] = "cgroup";
      body["procs"] = r.procs;
      if (r.pss >= 0) body["pss_bytes"] = r.pss;
    }
    j.add(t, {"subject", "build", 100}, "resource.sample", body);
    t += 100;
  }
  j.add(spec.exit_ms, {"subject", "build", 100}, "process.exit",
        {{"code", spec.exit_code}, {"describe", "exited with code " + std::to_string(spec.exit_code)}, {"main", true}});
  j.close();
}

}  // namespace bbx::testing
