// JUnit XML (the schema most CI systems read: testsuites/testsuite/testcase/failure),
// one testcase per scenario, failure text = the console's expected/actual lines. Stable
// between runs and working directories: the suite is "bbx", classname the scenario file
// relative to the project root (the nearest .git up from the working directory); run facts
// are properties (bbx.version, bbx.run_id, bbx.run_dir, bbx.isolation, flaky); the suite has
// the run's start (UTC, from the run id) and this host; failure@message is one line.
#pragma once

#include <filesystem>
#include <string>

#include "bbx/outcome.hpp"

namespace bbx::report {

std::string junit_xml(const RunSummary& summary);
void write_junit(const std::filesystem::path& path, const RunSummary& summary);

}  // namespace bbx::report
