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
  CHECK(text.substr(0, first_row) == "seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes\n");
  CHECK(text.find(",app,42,1048576,30,7,2,1\n") != std::string::npos);
  CHECK(text.find(",\"db,x\",43,2048,0,3,1,1\n") != std::string::npos);
  CHECK(text.rfind("1,", first_row) == first_row);  // first row is seq 1
}

TEST_CASE("no samples: no file") {
  auto dir = unit_temp_dir("samples-csv-none");
  journal::Journal j(dir / "events.jsonl");
  line(j, "app", "stdout", "hello");
  CHECK(report::write_samples_csv(j, dir / "samples.csv") == 0);
  CHECK_FALSE(std::filesystem::exists(dir / "samples.csv"));
}
