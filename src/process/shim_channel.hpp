// Reads a subreaper shim's report pipe on the run's loop. Internal to src/process.
#pragma once

#include <functional>

#include "process/subreaper_shim.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

// Takes ownership of fd (the pipe's read end). Calls on_report for each well-formed line,
// in order, and on_eof once when the shim has exited (or closed the pipe).
void read_shim_reports(runtime::RunContext& ctx, int fd, std::function<void(const ShimReport&)> on_report,
                       std::function<void()> on_eof);

}  // namespace bbx::process
