// trace.json: one journal as Chrome Trace Event JSON, the format ui.perfetto.dev (and the
// legacy chrome://tracing) opens. Written in one streaming pass over the journal: memory is
// the sources seen and the requests/steps still open, whatever the journal's size.
//
// Layout (pid/tid are numbers; M metadata events name every process and thread):
//   - "bbx" (pid 5000000): threads scenario, steps (each step a B/E slice; marks, replies
//     and waits as instants), assertions (assert.pass/skip and probe.sample as thread
//     instants, assert.fail as a global instant), probes, runner, requests sent (bbx's own
//     requests outside a step). Every instant's category is its event type, its args the
//     event's seq (and the whole summary when its name, capped at 1024 bytes, was cut).
//   - a process per subject, its pid the subject's first pid as the journal has it (inside
//     the namespace under namespace isolation; 6000000+ when 0 or taken): threads lifecycle,
//     stdout, stderr, requests sent, one per log file; resource samples as counter tracks
//     (views/resource_rates.hpp; a field the sample lacks gives no value, never a 0):
//     "cpu (%)" total (100 = one core, over the interval since the previous sample),
//     "cpu by mode (%)" user/system, "memory (MiB)" rss, "memory peak (MiB)" rss_peak,
//     "memory pss (MiB)" pss, "io (KiB/s)" read/write, "context switches (/s)"
//     voluntary/involuntary, "fds", "threads", "processes"; and when a sample lists its
//     processes (`procs`), "pid N COMM cpu (%)" and "pid N COMM memory (MiB)" for the top
//     processes (the top 3 of a sample by CPU or RSS, at most 10 tracked at once; 0 once
//     when one is gone). Perfetto shows a track per series ("cpu (%) total"); the legacy
//     viewer stacks the series of one counter, so only series that add up share one.
//   - a process per fake (pid 5000001+): thread events (its other events as instants),
//     arrivals, "arrivals 2", ... (lanes); each HTTP request one slice (X, cat "http", args
//     its seq, response_seq and the answer) from http.request to its http.response on the
//     first lane free at its arrival, so overlapping requests never share a lane. The slice
//     is written in its place once answered (the events after it are held until then); a
//     request with no lane free (16 open at once), held behind more than 4 MiB of trace, or
//     still open at a cut or at the end is an async slice (b/e, id its seq) instead. Each
//     TCP connection is an async slice from tcp.connect to tcp.close.
//   - flows (s/f, cat "flow", id the request's seq) from the step or subject that sent a
//     request (http.request's `from`, when bbx found it) to its arrival at the fake.
// Events are sorted by ts (microseconds since the scenario's start, from t_ns),
// "displayTimeUnit" is the first key, strings are escaped by util/json_text.hpp. Slices and
// async spans still open at the end of the journal (a cut run) end at its last event.
//
// A journal whose trace would exceed max_file_bytes is split by time: trace.json covers the
// start, trace.2.json the next window, ...; open slices are ended at a cut and begun again
// in the next file, and the result lists every file and its window (never truncated).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "journal/event_log.hpp"

namespace bbx::views {

inline constexpr std::int64_t kHarnessTracePid = 5'000'000;

struct TraceOptions {
  std::uint64_t max_file_bytes = 200ull << 20;  // below legacy chrome://tracing's 256 MB string limit
};

struct TracePart {
  std::filesystem::path file;
  std::int64_t from_ns = 0, to_ns = 0;  // the window of journal time it covers
  std::uint64_t bytes = 0;
};

struct TraceResult {
  std::vector<TracePart> parts;  // parts[0].file is `path`
  std::uint64_t trace_events = 0;
};

// Writes the trace of `log` to `path` (and, when split, path's stem + ".2.json", ...
// beside it; stale parts of an earlier trace are removed). Each file is written to a
// temporary name and renamed into place. Throws bbx::Error (harness) when a file cannot
// be written, and what the log's scan throws.
TraceResult write_trace_json(const journal::EventLog& log, const std::filesystem::path& path,
                             const TraceOptions& options = {});

}  // namespace bbx::views
