// profile.csv and profile_procs.csv (views/profile_csv.hpp) on the hand-written journals of
// profile_test_support.hpp: the exact rows, empty cells for what is unknown.
#include <doctest/doctest.h>

#include "journal/stored_journal.hpp"
#include "profile_test_support.hpp"
#include "util/text.hpp"
#include "views/profile_csv.hpp"

using namespace bbx;
using namespace bbx::views;

namespace {

SubjectProfile profile_of(const char* name, const testing::ProfileJournalSpec& spec) {
  testing::JournalFile file(name);
  testing::write_profile_journal(file, spec);
  journal::StoredJournal j(file.path());
  return read_profiles(j).at(0);
}

}  // namespace

TEST_CASE("profile.csv: one row per sample, tree totals and rates") {
  auto lines = util::split(profile_csv(profile_of("profile_csv_new", {})), '\n');
  REQUIRE(lines.size() == 6);  // heading, 4 rows, the empty piece after the last newline
  CHECK(lines[0] ==
        "t_s,cpu_pct,cpu_ms,cpu_user_ms,cpu_system_ms,rss_bytes,rss_peak_bytes,pss_bytes,read_bytes,write_bytes,"
        "read_bps,write_bps,fds,threads,processes,ctx_voluntary,ctx_involuntary");
  CHECK(lines[1] == "0.100,,0,0,0,1048576,1048576,921600,0,0,,,4,1,1,1,0");
  CHECK(lines[2] == "0.200,100.0,100,80,20,3145728,3145728,,1048576,0,10485760,0,6,2,2,5,1");
  CHECK(lines[3] == "0.300,50.0,150,120,30,2097152,4194304,1843200,1572864,524288,5242880,5242880,5,2,2,9,2");
}

TEST_CASE("profile.csv of a journal from before the new fields: their cells are empty") {
  testing::ProfileJournalSpec spec;
  spec.new_fields = false;
  auto lines = util::split(profile_csv(profile_of("profile_csv_old", spec)), '\n');
  CHECK(lines[2] == "0.200,100.0,100,,,3145728,,,,,,,6,2,2,,");
  CHECK(profile_procs_csv(profile_of("profile_csv_old2", spec)) ==
        "t_s,pid,ppid,comm,cpu_pct,cpu_ms,rss_bytes,threads,read_bytes,write_bytes\n");
}

TEST_CASE("profile_procs.csv: one row per process per sample") {
  auto lines = util::split(profile_procs_csv(profile_of("profile_procs_csv", {})), '\n');
  REQUIRE(lines.size() == 8);
  CHECK(lines[1] == "0.100,100,1,make,,0,1048576,1,,");
  CHECK(lines[2] == "0.200,100,1,make,10.0,10,1048576,1,,");
  CHECK(lines[3] == "0.200,101,100,cc,90.0,90,2097152,1,,");
  CHECK(lines[5] == "0.300,102,100,ld,40.0,40,1048576,1,,");
}
