// JUnit XML as CI systems read it: a suite name and class names that do not change between
// runs or working directories, run facts as properties, a timestamp and host, one-line
// failure messages; valid against the JUnit 10 schema (tests/integration/test_reports.cpp).
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>

#include "report/junit.hpp"
#include "report_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

std::string classname_in(const std::string& xml, const std::string& id) {
  auto at = xml.find("<testcase name=\"" + id + "\" classname=\"");
  REQUIRE(at != std::string::npos);
  at = xml.find("classname=\"", at) + 11;
  return xml.substr(at, xml.find('"', at) - at);
}

}  // namespace

TEST_CASE("the suite is named the same in every run; run id, version, isolation are properties") {
  auto a = summary_of({passed_result(), failed_result()});
  a.run_id = "20261206-040700-123";
  auto b = a;
  b.run_id = "20261207-110000-001-2";
  auto xa = report::junit_xml(a), xb = report::junit_xml(b);
  CHECK(xa.find("<testsuite name=\"bbx\" tests=\"2\" failures=\"1\" errors=\"0\" time=\"1.500000\" "
                "timestamp=\"2026-12-06T04:07:00\" hostname=\"") != std::string::npos);
  CHECK(xb.find("timestamp=\"2026-12-07T11:00:00\"") != std::string::npos);
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  CHECK(xa.find("hostname=\"" + std::string(host) + "\"") != std::string::npos);
  CHECK(xa.find("<property name=\"bbx.run_id\" value=\"20261206-040700-123\"/>") != std::string::npos);
  CHECK(xa.find("<property name=\"bbx.version\" value=\"" BBX_VERSION "\"/>") != std::string::npos);
  CHECK(xa.find("<property name=\"bbx.isolation\" value=\"namespaces, none\"/>") != std::string::npos);
  CHECK(xa.find("<property name=\"bbx.run_dir\" value=\"runs/r1\"/>") != std::string::npos);
  CHECK(xa.find("20261206-040700-123\" tests") == std::string::npos);  // not in the suite's name
}

TEST_CASE("a run id that is not one (a merged report's) leaves the timestamp out") {
  auto xml = report::junit_xml(summary_of({passed_result()}));
  CHECK(xml.find("timestamp=") == std::string::npos);
}

TEST_CASE("classname is the scenario file relative to the project root, however it was typed") {
  auto cwd = std::filesystem::current_path();
  auto typed = [&](const std::string& file) {
    auto r = passed_result();
    r.file = file;
    return classname_in(report::junit_xml(summary_of({r})), r.id);
  };
  auto plain = typed("s/proxy.yaml");
  CHECK(typed("./s/proxy.yaml") == plain);
  CHECK(typed("s/../s/proxy.yaml") == plain);
  CHECK(typed((cwd / "s/proxy.yaml").string()) == plain);
  CHECK(plain.front() != '/');
  CHECK(plain.rfind("./", 0) != 0);
  CHECK(plain.size() >= std::string("s/proxy.yaml").size());
  CHECK(plain.compare(plain.size() - 12, 12, "s/proxy.yaml") == 0);
  CHECK(typed("/nonexistent-root-dir/x.yaml") == "/nonexistent-root-dir/x.yaml");  // outside the project
}

TEST_CASE("a failure's message attribute is one line") {
  auto r = failed_result();
  r.checks.clear();  // told from its message alone (a failed check's headline is its first line already)
  r.message = "first line\nsecond line";
  auto xml = report::junit_xml(summary_of({r}));
  CHECK(xml.find("message=\"first line second line\"") != std::string::npos);
}
