#include "report/file_reporter.hpp"

namespace bbx::report {

FileReporter::FileReporter(const std::vector<std::filesystem::path>& files, const std::string& what, Render render)
    : render_(std::move(render)) {
  for (const auto& path : files) files_.emplace_back(path, what);
}

void FileReporter::run_done(const RunSummary& summary) {
  const std::string text = render_(summary);
  for (auto& f : files_) f.write_and_close(text);
}

}  // namespace bbx::report
