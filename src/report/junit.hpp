// JUnit XML (the schema most CI systems read: testsuites/testsuite/testcase/failure),
// one testcase per scenario, failure text = the console's expected/actual lines.
#pragma once

#include <filesystem>
#include <string>

#include "bbx/outcome.hpp"

namespace bbx::report {

std::string junit_xml(const RunSummary& summary);
void write_junit(const std::filesystem::path& path, const RunSummary& summary);

}  // namespace bbx::report
