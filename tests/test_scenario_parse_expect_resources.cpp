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
