// The JUnit reporter: at run_done, junit_xml (junit.hpp) of the whole run to every file it
// was given and, when asked, to <run-dir>/junit.xml.
#pragma once

#include <filesystem>
#include <vector>

#include "report/junit.hpp"
#include "report/output_file.hpp"
#include "report/reporter.hpp"

namespace bbx::report {

class JunitReporter final : public Reporter {
 public:
  // Opens every file for writing now (created, or truncated so that a run which dies leaves
  // no stale result behind), before anything runs: a path that cannot be written is a
  // mistake in the command line, not a failure found after every scenario ran. Throws
  // bbx::Error (invalid_input) naming the file and the reason (output_file.hpp).
  JunitReporter(const std::vector<std::filesystem::path>& files, bool in_run_dir, JunitOptions options = {});

  // Throws bbx::Error (harness) when a file cannot be written.
  void run_done(const RunSummary& summary) override;

 private:
  std::vector<OutputFile> files_;
  bool in_run_dir_;
  JunitOptions options_;
};

}  // namespace bbx::report
