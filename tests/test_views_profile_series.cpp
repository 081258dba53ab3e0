// The profile series of a journal (views/profile_series.hpp) on hand-written journals
// (profile_test_support.hpp): every field of the resource.sample contract read, absent
// fields unknown (not 0) in a journal written before them, the rates between samples and the
// per-process series (a process new since the last sample counts all its CPU there).
#include <doctest/doctest.h>

#include "journal/stored_journal.hpp"
#include "profile_test_support.hpp"
#include "views/profile_series.hpp"

using namespace bbx;
using namespace bbx::views;

namespace {

std::vector<SubjectProfile> profiles_of(const char* name, const testing::ProfileJournalSpec& spec) {
  testing::JournalFile file(name);
  testing::write_profile_journal(file, spec);
  journal::StoredJournal j(file.path());
  return read_profiles(j);
}

}  // namespace

TEST_CASE("read_profiles: a subject's samples, command, span and exit, with every new field") {
  auto all = profiles_of("profile_series_new", {});
  REQUIRE(all.size() == 1);
  const auto& p = all[0];
  CHECK(p.scenario == "profile build");
  CHECK(p.subject == "build");
  CHECK(p.argv == std::vector<std::string>{"make", "-j2"});
  CHECK(p.start_ns == 1'000'000);
  CHECK(p.end_ns == 451'000'000);
  CHECK(p.duration_s() == doctest::Approx(0.45));
  REQUIRE(p.exit);
  CHECK(p.exit->code == 2);
  CHECK(p.exit->shell_status() == 2);
  REQUIRE(p.samples.size() == 4);
  const auto& s = p.samples[2];
  CHECK(s.t_ns == 301'000'000);
  CHECK(s.cpu_ms == 150);
  CHECK(s.cpu_user_ms == 120);
  CHECK(s.cpu_system_ms == 30);
  CHECK(s.rss_peak_bytes == 4 * 1024 * 1024);
  CHECK(s.read_bytes == 3 * 1024 * 1024 / 2);
  CHECK(s.ctx_voluntary == 9);
  CHECK(s.pss_bytes == 1800 * 1024);
  CHECK(s.accounting == "cgroup");
  REQUIRE(s.procs.size() == 2);
  CHECK(s.procs[1].pid == 102);
  CHECK(s.procs[1].ppid == 100);
  CHECK(s.procs[1].comm == "ld");
  CHECK(s.procs[1].cpu_ms == 40);
  CHECK_FALSE(p.samples[1].pss_bytes);  // not read on that tick: unknown
}

TEST_CASE("read_profiles: a journal from before the new fields has them unknown, not 0") {
  testing::ProfileJournalSpec spec;
  spec.new_fields = false;
  auto all = profiles_of("profile_series_old", spec);
  REQUIRE(all.size() == 1);
  for (const auto& s : all[0].samples) {
    CHECK_FALSE(s.cpu_user_ms);
    CHECK_FALSE(s.rss_peak_bytes);
    CHECK_FALSE(s.read_bytes);
    CHECK_FALSE(s.write_bytes);
    CHECK_FALSE(s.ctx_voluntary);
    CHECK_FALSE(s.pss_bytes);
    CHECK(s.procs.empty());
    CHECK(s.accounting.empty());
  }
  CHECK(all[0].samples[1].rss_bytes == 3 * 1024 * 1024);
  auto reads = rate_per_second(all[0].samples, &ProfileSample::read_bytes);
  for (const auto& r : reads) CHECK_FALSE(r);
}

TEST_CASE("cpu_percent and byte_rate: per interval, none before the first") {
  auto p = profiles_of("profile_series_rates", {})[0];
  auto cpu = cpu_percent(p.samples);
  REQUIRE(cpu.size() == 4);
  CHECK_FALSE(cpu[0]);
  CHECK(*cpu[1] == doctest::Approx(100));
  CHECK(*cpu[2] == doctest::Approx(50));
  CHECK(*cpu[3] == doctest::Approx(0));
  auto reads = rate_per_second(p.samples, &ProfileSample::read_bytes);
  CHECK(*reads[1] == doctest::Approx(10 * 1024 * 1024));
  CHECK(*reads[2] == doctest::Approx(5 * 1024 * 1024));
  auto writes = rate_per_second(p.samples, &ProfileSample::write_bytes);
  CHECK(*writes[3] == doctest::Approx(5 * 1024 * 1024));
}

TEST_CASE("process_series: each process's CPU percent and RSS where it was alive") {
  auto p = profiles_of("profile_series_procs", {})[0];
  auto procs = process_series(p.samples);
  REQUIRE(procs.size() == 3);
  CHECK(procs[0].comm == "make");
  CHECK(procs[1].comm == "cc");
  CHECK(procs[2].comm == "ld");
  CHECK(*procs[0].at(1)->cpu_pct == doctest::Approx(10));
  CHECK(*procs[0].at(2)->cpu_pct == doctest::Approx(10));
  CHECK(*procs[1].at(1)->cpu_pct == doctest::Approx(90));  // new since sample 0: all its CPU
  CHECK(procs[1].at(2) == nullptr);                        // gone
  CHECK(procs[1].points.size() == 1);
  CHECK(*procs[2].at(2)->cpu_pct == doctest::Approx(40));
  CHECK(procs[2].dense_rss(4) == std::vector<std::optional<double>>{std::nullopt, std::nullopt, 1024.0 * 1024, std::nullopt});
  CHECK(procs[1].cpu_ms == 90);
  CHECK(procs[1].rss_max == 2 * 1024 * 1024);
  CHECK_FALSE(procs[0].at(0)->cpu_pct);
}

TEST_CASE("cpu_percent and byte_rate: a counter that went down (restart) and a 1 ms interval give no rate") {
  auto sample = [](std::int64_t t_ms, std::int64_t cpu_ms, std::int64_t read) {
    ProfileSample s;
    s.t_ns = t_ms * 1'000'000;
    s.cpu_ms = cpu_ms;
    s.read_bytes = read;
    return s;
  };
  // 100 ms apart, then the final sample 1 ms after a tick, then a restart's counters.
  std::vector<ProfileSample> v{sample(0, 0, 0), sample(100, 50, 1000), sample(101, 51, 1100), sample(200, 100, 2000),
                               sample(300, 10, 100)};
  auto cpu = cpu_percent(v);
  CHECK_FALSE(cpu[0]);
  CHECK(*cpu[1] == doctest::Approx(50));
  CHECK_FALSE(cpu[2]);                            // 1 ms: no spike
  CHECK(*cpu[3] == doctest::Approx(50));          // measured from t=100ms
  CHECK_FALSE(cpu[4]);                            // went down: unknown, not negative
  auto reads = rate_per_second(v, &ProfileSample::read_bytes);
  CHECK(*reads[3] == doctest::Approx(10000));     // 1000 B over 100 ms
  CHECK_FALSE(reads[4]);
}
