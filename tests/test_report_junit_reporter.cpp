// JunitReporter: its files opened (and emptied) when it is made, the whole run's JUnit XML
// in each at run_done, and in <run-dir>/junit.xml when asked.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "assert_test_support.hpp"
#include "report/junit.hpp"
#include "report/junit_reporter.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

TEST_CASE("the JUnit reporter empties its files up front and writes the run to each at run_done") {
  auto dir = unit_temp_dir("reporters-junit");
  std::ofstream(dir / "a.xml") << "stale result of an earlier run";
  report::JunitReporter reporter({dir / "a.xml", dir / "b.xml"}, true);
  CHECK(read_text(dir / "a.xml").empty());
  CHECK(std::filesystem::exists(dir / "b.xml"));
  auto summary = summary_of({passed_result(), failed_result()}, dir.string());
  reporter.scenario_done(failed_result(), 1);
  CHECK(read_text(dir / "b.xml").empty());
  reporter.run_done(summary);
  auto xml = report::junit_xml(summary);
  CHECK(xml.find("<testsuites name=\"bbx\" tests=\"2\" failures=\"1\" errors=\"0\"") != std::string::npos);
  CHECK(read_text(dir / "a.xml") == xml);
  CHECK(read_text(dir / "b.xml") == xml);
  CHECK(read_text(dir / "junit.xml") == xml);
}

TEST_CASE("without in_run_dir the run directory gets no junit.xml") {
  auto dir = unit_temp_dir("reporters-junit-no-run-dir");
  report::JunitReporter reporter({dir / "out.xml"}, false);
  reporter.run_done(summary_of({passed_result()}, dir.string()));
  CHECK(read_text(dir / "out.xml") == report::junit_xml(summary_of({passed_result()}, dir.string())));
  CHECK_FALSE(std::filesystem::exists(dir / "junit.xml"));
}

TEST_CASE("a file that cannot be opened is invalid input when the reporter is made, naming it") {
  auto dir = unit_temp_dir("reporters-junit-bad");
  auto bad = dir / "missing" / "out.xml";
  try {
    report::JunitReporter reporter({dir / "ok.xml", bad}, true);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid_input);
    CHECK(e.message() == "cannot write JUnit XML to '" + bad.string() + "': No such file or directory");
  }
}
