// Tailing the log files a subject writes (`logs:` paths or globs, sandbox-relative), each
// from its start, as `log.line {path, line, [split|partial|truncated]}` events of the subject
// (path relative to the sandbox when inside it).
//
// Polled every 10 ms on the run's loop (inotify would need a watch per directory and still
// a re-glob for new files; a stat per file every 10 ms is cheaper than that bookkeeping for
// the few files a subject writes), and by the supervisor before it journals an exit of one
// of the subject's processes (so the lines that process wrote come first). Rotation (the
// path now names another inode): the old file is read to its end, then the new one from its
// start. Truncation (the size fell below
// what was read): reading restarts at 0 and the next line carries `truncated: true`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "bbx/event.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

class LogTailer {
 public:
  // patterns: expanded paths or glob(7) patterns; relative ones are under the sandbox.
  LogTailer(runtime::RunContext& ctx, EventSource source, std::vector<std::string> patterns);
  ~LogTailer();
  LogTailer(const LogTailer&) = delete;
  LogTailer& operator=(const LogTailer&) = delete;

  // Reads everything new now (also called by the timer).
  void poll();
  // A last poll, then every unterminated last line is journaled as partial; polling stops.
  void finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::process
