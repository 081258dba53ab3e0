// samples.csv: one row per resource.sample event of the journal.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "assert_test_support.hpp"
#include "report/samples_csv.hpp"

using namespace bbx;
using namespace bbx::testing;

TEST_CASE("samples.csv has a header and one row per resource sample, other events skipped") {
  auto dir = unit_temp_dir("samples-csv");
  journal::Journal j(dir / "events.jsonl");
  j.append({"subject", "app", 42}, bbx::journal::ev::resource_sample,
           {{"rss_bytes", 1048576}, {"cpu_ms", 30}, {"fds", 7}, {"threads", 2}, {"processes", 1}});
  line(j, "app", "stdout", "hello");
  j.append({"subject", "db,x", 43}, bbx::journal::ev::resource_sample,
           {{"rss_bytes", 2048}, {"cpu_ms", 0}, {"fds", 3}, {"threads", 1}, {"processes", 1}});
  CHECK(report::write_samples_csv(j, dir / "samples.csv") == 2);
  auto text = read_text(dir / "samples.csv");
  auto first_row = text.find('\n') + 1;
  CHECK(text.substr(0, first_row) ==
        "seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes,rss_peak_bytes,pss_bytes,cpu_user_ms,"
        "cpu_system_ms,read_bytes,write_bytes,ctx_voluntary,ctx_involuntary,accounting\n");
  // An older journal's sample: the new columns are empty (unknown), not 0.
  CHECK(text.find(",app,42,1048576,30,7,2,1,,,,,,,,,\n") != std::string::npos);
  CHECK(text.find(",\"db,x\",43,2048,0,3,1,1,,,,,,,,,\n") != std::string::npos);
  CHECK(text.rfind("1,", first_row) == first_row);  // first row is seq 1
}

TEST_CASE("no samples: no file") {
  auto dir = unit_temp_dir("samples-csv-none");
  journal::Journal j(dir / "events.jsonl");
  line(j, "app", "stdout", "hello");
  CHECK(report::write_samples_csv(j, dir / "samples.csv") == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "samples.csv"));
}

TEST_CASE("the new sample fields fill their columns; samples_procs.csv has one row per process of each sample") {
  auto dir = unit_temp_dir("samples-csv-procs");
  journal::Journal j(dir / "events.jsonl");
  nlohmann::json procs = nlohmann::json::array(
      {{{"pid", 42}, {"ppid", 41}, {"comm", "app"}, {"cpu_ms", 20}, {"rss_bytes", 4096}, {"threads", 2},
        {"read_bytes", 10}, {"write_bytes", 5}},
       {{"pid", 43}, {"ppid", 42}, {"comm", "worker,1"}, {"cpu_ms", 10}, {"rss_bytes", 8192}, {"threads", 1}}});
  j.append({"subject", "app", 42}, bbx::journal::ev::resource_sample,
           {{"rss_bytes", 12288}, {"cpu_ms", 30}, {"fds", 7}, {"threads", 3}, {"processes", 2},
            {"rss_peak_bytes", 20000}, {"pss_bytes", 9000}, {"cpu_user_ms", 25}, {"cpu_system_ms", 5},
            {"read_bytes", 10}, {"write_bytes", 5}, {"ctx_voluntary", 11}, {"ctx_involuntary", 2},
            {"accounting", "cgroup"}, {"procs", procs}});
  CHECK(report::write_samples_csv(j, dir / "samples.csv") == 1);
  CHECK(read_text(dir / "samples.csv").find(",app,42,12288,30,7,3,2,20000,9000,25,5,10,5,11,2,cgroup\n") !=
        std::string::npos);
  CHECK(report::write_samples_procs_csv(j, dir / "samples_procs.csv") == 2);
  auto text = read_text(dir / "samples_procs.csv");
  CHECK(text.rfind("seq,t_ms,subject,pid,ppid,comm,cpu_ms,rss_bytes,threads,read_bytes,write_bytes\n", 0) == 0);
  CHECK(text.find(",app,42,41,app,20,4096,2,10,5\n") != std::string::npos);
  CHECK(text.find(",app,43,42,\"worker,1\",10,8192,1,,\n") != std::string::npos);
}
