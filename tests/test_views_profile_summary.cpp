// The summary of a profile (views/profile_summary.hpp), as profile.json writes it, on the
// hand-written journals of profile_test_support.hpp: maxima, averages, totals, top
// processes; unknown measures null in a journal from before the new fields.
#include <doctest/doctest.h>

#include "journal/stored_journal.hpp"
#include "profile_test_support.hpp"
#include "views/profile_summary.hpp"

using namespace bbx;
using namespace bbx::views;

namespace {

nlohmann::json summary_of(const char* name, const testing::ProfileJournalSpec& spec) {
  testing::JournalFile file(name);
  testing::write_profile_journal(file, spec);
  journal::StoredJournal j(file.path());
  return summary_json(summarize(read_profiles(j).at(0)));
}

}  // namespace

TEST_CASE("profile.json: every measure's max and average, totals, exit and top processes") {
  auto s = summary_of("profile_summary_new", {});
  constexpr std::int64_t MiB = 1024 * 1024;
  CHECK(s["subject"] == "build");
  CHECK(s["command"] == nlohmann::json::array({"make", "-j2"}));
  CHECK(s["duration_s"] == 0.45);
  CHECK(s["exit"] == nlohmann::json({{"code", 2}, {"describe", "exited with code 2"}, {"status", 2}}));
  CHECK(s["samples"] == 4);
  CHECK(s["interval_ms"] == 100.0);
  CHECK(s["accounting"] == "cgroup");
  CHECK(s["cpu"] == nlohmann::json({{"total_s", 0.15}, {"user_s", 0.12}, {"system_s", 0.03}, {"percent_max", 100.0}, {"percent_avg", 50.0}}));
  CHECK(s["memory"]["rss_max_bytes"] == 3 * MiB);
  CHECK(s["memory"]["rss_avg_bytes"] == 7 * MiB / 4);
  CHECK(s["memory"]["rss_peak_bytes"] == 4 * MiB);  // the burst between two samples
  CHECK(s["memory"]["pss_max_bytes"] == 1800 * 1024);
  CHECK(s["memory"]["pss_avg_bytes"] == 1350 * 1024);
  CHECK(s["io"]["read_bytes"] == 3 * MiB / 2);
  CHECK(s["io"]["write_bytes"] == MiB);
  CHECK(s["io"]["read_rate_max_bps"] == 10 * MiB);
  CHECK(s["io"]["write_rate_max_bps"] == 5 * MiB);
  CHECK(s["fds"] == nlohmann::json({{"max", 6.0}, {"avg", 4.8}}));
  CHECK(s["threads"]["max"] == 2.0);
  CHECK(s["processes"]["avg"] == 1.5);
  CHECK(s["context_switches"] == nlohmann::json({{"voluntary", 10}, {"involuntary", 2}}));
  REQUIRE(s["top_cpu"].size() == 3);
  CHECK(s["top_cpu"][0] == nlohmann::json({{"pid", 101}, {"comm", "cc"}, {"cpu_s", 0.09}}));
  CHECK(s["top_cpu"][1]["comm"] == "ld");
  CHECK(s["top_cpu"][2]["comm"] == "make");
  CHECK(s["top_rss"][0] == nlohmann::json({{"pid", 101}, {"comm", "cc"}, {"rss_max_bytes", 2 * MiB}}));
}

TEST_CASE("profile.json of a journal from before the new fields: what it lacks is null") {
  testing::ProfileJournalSpec spec;
  spec.new_fields = false;
  auto s = summary_of("profile_summary_old", spec);
  CHECK(s["cpu"]["total_s"] == 0.15);
  CHECK(s["cpu"]["user_s"].is_null());
  CHECK(s["memory"]["rss_max_bytes"] == 3 * 1024 * 1024);
  CHECK(s["memory"]["rss_peak_bytes"].is_null());
  CHECK(s["memory"]["pss_max_bytes"].is_null());
  CHECK(s["io"]["read_bytes"].is_null());
  CHECK(s["io"]["read_rate_max_bps"].is_null());
  CHECK(s["context_switches"]["voluntary"].is_null());
  CHECK(s["accounting"].is_null());
  CHECK(s["top_cpu"].empty());
}
