#include "report/junit_reporter.hpp"

#include "report/junit.hpp"

namespace bbx::report {

JunitReporter::JunitReporter(const std::vector<std::filesystem::path>& files, bool in_run_dir, JunitOptions options)
    : in_run_dir_(in_run_dir), options_(std::move(options)) {
  for (const auto& path : files) files_.emplace_back(path, "JUnit XML");
}

void JunitReporter::run_done(const RunSummary& summary) {
  const std::string xml = junit_xml(summary, options_);
  for (auto& f : files_) f.write_and_close(xml);
  if (in_run_dir_) write_junit(std::filesystem::path(summary.run_dir) / "junit.xml", summary, options_);
}

}  // namespace bbx::report
