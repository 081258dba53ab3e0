// TAP 14 of a run.
#include <doctest/doctest.h>

#include "report/tap.hpp"
#include "report_test_support.hpp"

using namespace bbx;

TEST_CASE("one test point per scenario; a YAML block for each failure; '#' escaped") {
  RunSummary s;
  s.results = {testing::passed_result(), testing::failed_result()};
  s.results[0].id = "proxy #1";
  auto tap = report::tap_text(s);
  CHECK(tap.rfind("TAP version 14\n1..2\n", 0) == 0);
  CHECK(tap.find("ok 1 - proxy \\#1 # time=12ms\n") != std::string::npos);
  CHECK(tap.find("not ok 2 - counts # time=250ms\n  ---\n  message: \"request at fake 'up': expected exactly 1, got 0\"\n"
                 "  severity: fail\n  file: \"s/counts.yaml\"\n  at: \"s/counts.yaml:7:") != std::string::npos);
  CHECK(tap.find("  ...\n") != std::string::npos);
}
