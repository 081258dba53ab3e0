// Reads one subject output pipe on the loop, journals each line as output.line, keeps a
// raw copy on disk and the last lines in memory. Internal to src/process.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "bbx/event.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

struct OutputSink {
  EventSource source;                                   // the subject
  std::string stream;                                   // "stdout" / "stderr"
  std::filesystem::path raw_copy;                       // appended with every byte read
  std::function<void(const std::string& line)> on_line; // after journaling
  std::function<void()> on_eof;
  int echo_fd = -1;  // also gets every byte read, as read (not owned; best effort); -1: none
};

// Takes ownership of fd (the pipe's read end) and reads until EOF.
void start_output_reader(runtime::RunContext& ctx, int fd, OutputSink sink);

}  // namespace bbx::process
