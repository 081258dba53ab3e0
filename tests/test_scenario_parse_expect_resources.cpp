// Parsing `resources:` expectations and the subjects' `sample:` interval.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "scenario/loader.hpp"

using namespace bbx;

namespace {

Scenario load(const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit-resources";
  std::filesystem::create_directories(dir);
  auto p = dir / "case.yaml";
  std::ofstream(p) << text;
  return scenario::load_scenario_file(p).at(0);
}

}  // namespace

TEST_CASE("resources ranges are read in bytes, ns and counts; sample intervals in time") {
  auto s = load(R"(name: r
subjects:
  app: {command: [bbx-fixture], sample: 50ms}
  quiet: {command: [bbx-fixture], sample: "off"}
  plain: {command: [bbx-fixture]}
expect:
  - resources: {subject: app, max_rss: "< 64MiB", cpu: "<= 2s", fds: 1..50, threads: "> 1"}
)");
  CHECK(s.subjects[0].sample == std::chrono::milliseconds(50));
  CHECK(s.subjects[1].sample.count() == 0);
  CHECK(s.subjects[2].sample == std::chrono::milliseconds(100));
  const auto& r = std::get<model::ResourceExpectation>(s.expect.at(0).check);
  CHECK(r.subject == "app");
  CHECK(r.max_rss->max == 64 * 1024 * 1024 - 1);
  CHECK(r.max_rss->text == "< 64MiB");
  CHECK(r.cpu->max == 2'000'000'000);
  CHECK(r.fds->min == 1);
  CHECK(r.fds->max == 50);
  CHECK(r.threads->min == 2);
  CHECK_FALSE(s.expect.at(0).within);
}

TEST_CASE("resources take a during window but no within") {
  auto s = load(R"(name: r
subjects:
  app: {command: [bbx-fixture]}
expect:
  - resources: {subject: app, fds: "<= 9", during: {from: {log: {subject: app, contains: x}}}}
)");
  CHECK(s.expect.at(0).during);
  CHECK_THROWS_AS(load(R"(name: r
subjects:
  app: {command: [bbx-fixture]}
expect:
  - resources: {subject: app, fds: "<= 9", within: 2s}
)"),
                  Error);
}

TEST_CASE("resources read PSS and I/O in bytes, context switches as a count, CPU percent in hundredths") {
  auto s = load(R"(name: r
subjects:
  app: {command: [bbx-fixture]}
expect:
  - resources: {subject: app, max_pss: "< 32MiB", read_bytes: ">= 1KiB", write_bytes: "< 1MiB", ctx_switches: "< 1000",
                cpu_percent: "< 12.5%"}
  - resources: {subject: app, cpu_percent: 80..120}
)");
  const auto& r = std::get<model::ResourceExpectation>(s.expect.at(0).check);
  CHECK(r.max_pss->max == 32 * 1024 * 1024 - 1);
  CHECK(r.read_bytes->min == 1024);
  CHECK(r.write_bytes->max == 1024 * 1024 - 1);
  CHECK(r.ctx_switches->max == 999);
  CHECK(r.cpu_percent->max == 1249);
  CHECK(r.cpu_percent->text == "< 12.5%");
  const auto& band = std::get<model::ResourceExpectation>(s.expect.at(1).check);
  CHECK(band.cpu_percent->min == 8000);
  CHECK(band.cpu_percent->max == 12000);
}
