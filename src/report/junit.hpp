// JUnit XML (the schema most CI systems read: testsuites/testsuite/testcase/failure; valid
// against Jenkins' junit-10.xsd), one testcase per scenario. Stable between runs and working
// directories: the suite is "bbx", classname the scenario file relative to the project root
// (the nearest .git up from the working directory); run facts are properties (bbx.version,
// bbx.run_id, bbx.run_dir, bbx.isolation, flaky); the suite has the run's start (UTC, from
// the run id) and this host. A failed scenario's story (failure_story.hpp, worded by
// story_text.hpp) is spread over it the way CI systems show it:
//   <failure message="the headline, one line" type="crash|readiness|step|timeout|expectation|setup">
//       the first cause in full, the later failures, the tally, the rerun command, the
//       journal and its views (timeline.html, trace.json)</failure>
//   <system-out>the timeline window, each subject's last output lines, and
//       [[ATTACHMENT|<scenario dir>/events.jsonl]] on a line of its own (GitLab, Jenkins), and one
//       for each file of the failure bundle in <scenario dir>/failure/</system-out>
// A harness error or an interrupt is an <error> with its message.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "bbx/outcome.hpp"

namespace bbx::report {

struct JunitOptions {
  std::size_t context = 20;  // events in a failure's timeline window
  std::string rerun;         // the command a rerun starts with; "" for none
};

std::string junit_xml(const RunSummary& summary, const JunitOptions& options = {});
void write_junit(const std::filesystem::path& path, const RunSummary& summary, const JunitOptions& options = {});

}  // namespace bbx::report
