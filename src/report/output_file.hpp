// A report file given on the command line (--junit FILE, --tap FILE, --json FILE): opened
// (created, or emptied so that a run which dies leaves no stale result) when the reporter is
// made, before anything runs, and written once at the end. "-" is standard output.
#pragma once

#include <filesystem>
#include <string>

namespace bbx::report {

class OutputFile {
 public:
  // Throws bbx::Error (invalid_input) "cannot write <what> to 'PATH': <reason>": a path that
  // cannot be written is a mistake in the command line, found before any scenario runs.
  OutputFile(std::filesystem::path path, const std::string& what);
  ~OutputFile();
  OutputFile(OutputFile&& other) noexcept;
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  OutputFile& operator=(OutputFile&&) = delete;

  // Writes text and closes the file. Throws bbx::Error (harness) when it cannot.
  void write_and_close(const std::string& text);
  const std::filesystem::path& path() const { return path_; }
  bool is_stdout() const { return path_ == "-"; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace bbx::report
