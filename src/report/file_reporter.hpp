// A reporter that writes one text of the whole run to each of its files at run_done (TAP,
// the JSON report): the files are opened when it is made (output_file.hpp).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "report/output_file.hpp"
#include "report/reporter.hpp"

namespace bbx::report {

class FileReporter final : public Reporter {
 public:
  using Render = std::function<std::string(const RunSummary&)>;
  // `what` names the format in errors ("TAP"). Throws what OutputFile throws.
  FileReporter(const std::vector<std::filesystem::path>& files, const std::string& what, Render render);
  // Throws bbx::Error (harness) when a file cannot be written.
  void run_done(const RunSummary& summary) override;

 private:
  std::vector<OutputFile> files_;
  Render render_;
};

}  // namespace bbx::report
