// What a failure report says about a subject beyond its exit status, gathered when a crash
// or a readiness failure is reported (the subject may be gone): its last output lines, the
// tails of the files it writes, where its core dump went, and what it listens on now. Each
// function returns text to append to a check's `actual` ("" when there is nothing to say);
// continuation lines are indented like the output lines ("\n    | line").
#pragma once

#include <filesystem>
#include <string>

#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::process {

// "; last output:\n    | a\n    | b" (every line the supervisor kept, up to 20), or
// "; it printed nothing". With waited_for_output (a readiness `log:` check that was never met)
// and output on pipes, nothing printed also says why that happens to buffering runtimes and
// names the `tty: true` option.
std::string output_evidence(const SubjectState& s, bool waited_for_output = false);

// The tails (last 5 lines) of the subject's log files: its `logs:` files, from the journal's
// log.line events, and the files its tree held open for writing (SubjectState::written_files
// and, while it runs, its tree's open files now), read from disk. Each as
// "\n    log file 'app.log' (N bytes) ends:\n    | line". Paths inside the sandbox are shown
// relative to it. Runs on the loop thread (reads the live journal).
std::string log_evidence(runtime::RunContext& ctx, const Supervisor& supervisor, const SubjectState& s);

// For an exit that dumped core: where the core went, from /proc/sys/kernel/core_pattern:
// "\n    core file: core.1234 (2,097,152 bytes, in the sandbox)", or the handler the pattern
// pipes it to. "" when no core was dumped.
std::string core_evidence(const SubjectState& s, const std::filesystem::path& sandbox);

// What the subject's tree listens on now: "; it listens on tcp 127.0.0.1:8081, udp 0.0.0.0:53"
// or "; it listens on no port"; "" when it is not running.
std::string listening_evidence(const Supervisor& supervisor, const std::string& subject);

}  // namespace bbx::process
