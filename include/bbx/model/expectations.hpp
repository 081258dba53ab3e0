// Expectations: what must have been observed.
//
// When each kind is checked (see docs/scenario-language.md, "Expectations"):
//   - request, log, file and exit: after the subjects were stopped, so counts and absence
//     include what subjects emit or write on shutdown ("no error lines" also covers the
//     shutdown path). With `within: T` they are checked before the stop instead, and pass
//     as soon as they hold (woken by journal events; files and log files re-read every
//     50ms), failing at the deadline.
//   - sequence and message: after the stop, like request.
//   - metric: like request (after the stop, so samples sent on shutdown count).
//   - resources: after the stop, over the resource.sample events (a last sample is taken
//     just before the stop).
//   - listening, process and command: live probes of the running subjects, checked
//     before the stop (after it nothing listens); with `within` re-run every 50ms.
//   - listening, process and file with `always:` / `never:` (Expectation::sampled): sampled
//     while the steps run whenever the window is open (assert/window_watch.hpp), reported
//     before the stop.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// A value matcher for headers and query parameters: a glob ('*', '?').
struct NameValue {
  std::string name;
  std::string value;
};

// Requests a fake received.
struct RequestExpectation {
  std::string fake;
  std::string method;  // empty = any
  std::string path;    // glob; empty = any
  std::vector<NameValue> query;    // each parameter must be present with a value matching the glob
  std::vector<NameValue> headers;  // names case-insensitive, value globs
  std::optional<TextMatch> body;
  // Only requests that this subject's processes sent (http.request `from`, found when the
  // fake accepted the connection); "bbx" for bbx's own (http steps, readiness polls).
  // Empty = from anyone.
  std::string from;
  Count count;         // default ">= 1"
};

// Messages a generic TCP fake received (journal `tcp.message` events); the text matched
// is the message as journaled (`data`: invalid UTF-8 bytes as \xHH).
struct MessageExpectation {
  std::string fake;
  std::optional<TextMatch> text;  // contains / matches; absent = any message
  Count count;                    // default ">= 1"
};

// DogStatsD events (`statsd_event:`) or service checks (`service_check:`) a statsd fake
// received (journal `statsd.event` / `statsd.service_check` events).
struct DogStatsdExpectation {
  enum class Kind { event, service_check };
  Kind kind = Kind::event;
  std::string fake;
  std::string name;               // glob over the event's title / the check's name; empty = any
  std::optional<TextMatch> text;  // the event's text / the check's message: contains / matches
  std::optional<int> status;      // service checks only: 0 ok, 1 warning, 2 critical, 3 unknown
  std::vector<std::string> tags;  // "k:v" or "k"; each must be on it
  Count count;                    // default ">= 1"
};

// Every request a fake received matched a route of the fake and at least one `request:`
// expectation of this scenario for that fake.
struct StrictExpectation {
  std::string fake;
};

// How a subject ended, once stopped (or after it exited by itself).
struct ExitExpectation {
  std::string subject;
  std::optional<int> code;
  std::optional<int> signal;
};

// Lines of a subject's output (stdout, stderr or both) or of a log file in the sandbox.
struct LogExpectation {
  std::string subject;          // set for an output stream
  std::string stream = "both";  // stdout | stderr | both
  std::string file;             // set for a log file, relative to the sandbox
  std::optional<TextMatch> match;
  Count count;                  // lines matching `match`; default ">= 1"
  // "Only these errors": every line matching `errors` must match one of `only`.
  std::optional<TextMatch> errors;
  std::vector<TextMatch> only;
};

// A subject (its whole process tree) listens, or nothing listens, on a port. Without a
// port (`nothing: true` or `only:`), every listening socket of the subject's tree counts.
struct ListeningExpectation {
  std::string subject;      // empty = any process of the scenario
  std::optional<IntField> port;  // unset with `nothing` / `only` and no port
  std::string proto = "tcp";  // tcp | udp
  std::string address;      // empty = any; else probes::address_covers semantics
  bool listening = true;
  bool nothing = false;     // `nothing: true`: no listening socket of proto at all (on port, if set)
  std::vector<std::string> only;  // `only: [ADDR, ...]`: every listening socket is on one of these
};

// Processes in a subject's tree (the main process and its descendants).
struct ProcessExpectation {
  std::string subject;
  std::string name;                  // comm, exact; empty = any
  std::optional<TextMatch> cmdline;  // searched in argv joined by spaces
  Count count;                       // default ">= 1"; `running: false` = 0
  // Checks on every selected process (name/cmdline match), not filters: its real uid is
  // `user` (a user name or a numeric uid) and its thread count is in `threads`.
  std::string user;                  // empty = not checked
  std::optional<Count> threads;
  // Zombies (exited, not reaped by their parent) among the selected processes of the tree;
  // `count`, `user` and `threads` look at live processes only.
  std::optional<Count> zombies;
  bool count_set = true;             // false when only `zombies` was asked (count not checked)
};

// A file in the sandbox.
struct FileExpectation {
  std::string path;                  // relative to the sandbox
  bool exists = true;
  std::optional<unsigned> mode;      // permission bits, e.g. 0644
  std::string owner, group;          // a name or a numeric id; empty = not checked
  std::optional<Count> size;         // bytes
  std::string sha256, sha1, md5;     // lowercase hex; empty = not checked
  std::optional<std::string> equals; // whole contents
  std::optional<TextMatch> match;    // contents contain / match
  std::string json_path;             // "/a/0/b" (JSON pointer) or "a.0.b" (dotted)
  std::string yaml_path;             // dotted
  std::optional<std::string> value;  // expected value at json_path/yaml_path, as text
};

// A command run by the runner (argv, no shell; cwd = the sandbox; variables expanded),
// checked for its exit status and output.
struct CommandExpectation {
  std::vector<Template> run;
  IntField exit_code{0, std::nullopt, 0, 255, "command.exit"};
  std::vector<TextMatch> stdout_match, stderr_match;  // every one must match
  Duration timeout = std::chrono::seconds(10);
};

// The kinds of journal event that orderings and windows name (`log:`, `request:`, ...).
struct LogEvent {  // a line of a subject's output, or of a log file it writes
  std::string subject;          // empty: any subject (only with `file`)
  std::string stream = "both";  // stdout | stderr | both; unused with `file`
  std::string file;             // a glob over the log file's path (log.line `path`); empty = the output
  TextMatch text;
};
struct RequestEvent {  // a request at an HTTP fake
  std::string fake;
  std::string method;  // empty = any
  std::string path;    // glob; empty = any
};
struct MetricEvent {  // a statsd datagram carrying a sample whose name matches
  std::string fake;
  std::string name;  // glob
};
struct MessageEvent {  // a message at a TCP fake
  std::string fake;
  std::optional<TextMatch> text;  // absent = any message
};
struct ExitEvent {  // the exit of a subject's main process
  std::string subject;
};
struct StepEvent {  // a step beginning
  std::string label;  // glob
};
struct ResponseEvent {  // an http step got its response, or its request failed (http.reply)
  std::string label;  // glob over the step's label
};
struct MarkEvent {  // a `mark` step's event
  std::string name;  // exact
};

// One kind of journal event, for ordering and windows.
struct EventMatch {
  std::variant<LogEvent, RequestEvent, MetricEvent, MessageEvent, ExitEvent, StepEvent, ResponseEvent, MarkEvent> event;
  SourceLocation where;
};

// The events happened in this order (an ordered subsequence: other events may come
// between). `before: A, then: B` is a two-item sequence.
struct SequenceExpectation {
  std::vector<EventMatch> items;
};

// A window of the journal: from the first event matching `from` to the first event
// matching `to` after it (or the end of the run), both excluded.
struct Window {
  EventMatch from;
  std::optional<EventMatch> to;
};

// `always:` / `never:` on a live probe (listening, process, file): the probe is sampled
// while the steps run, whenever the window is open (see assert/window_watch.hpp).
struct SampledWindow {
  Window window;
  bool never = false;  // false: must hold at every sample; true: at none
  SourceLocation where;
};

// A numeric constraint on a metric aggregate: "3", ">= 1", "> 0.5", "<= 10", "< 2",
// "1..3" (inclusive).
struct ValueRange {
  double min = -1e308, max = 1e308;
  bool min_open = false, max_open = false;
  std::string text;  // as written
  bool contains(double v) const {
    return (min_open ? v > min : v >= min) && (max_open ? v < max : v <= max);
  }
};

// Statsd samples a fake received (journal `statsd.sample` events), aggregated.
struct MetricExpectation {
  std::string fake;
  std::string name;                  // glob
  std::string type;                  // counter|gauge|timer|histogram|distribution|set; empty = any
  std::vector<std::string> tags;     // "k:v" or "k"; each must be on the sample
  std::vector<std::string> ignore;   // name globs never counted (client telemetry)
  bool absent = false;               // "never sent": no matching sample at all
  // Aggregate -> constraint: samples, count, sum, last, min, max, distinct, p50, p99, ...
  std::vector<std::pair<std::string, ValueRange>> aggregates;
};

// Resource use of a subject's tree, from its `resource.sample` journal events: the peak of
// each peak measure, the growth of each total, over the run (or over the `during` window)
// must be in its range.
struct ResourceExpectation {
  std::string subject;
  std::optional<Count> max_rss;  // bytes ("< 64MiB")
  std::optional<Count> cpu;      // CPU time in ns ("< 2s")
  std::optional<Count> fds;      // open file descriptors
  std::optional<Count> threads;
  std::optional<Count> max_pss;       // bytes, peak of the samples that read PSS
  std::optional<Count> read_bytes;    // bytes the tree read (rchar) over the samples counted
  std::optional<Count> write_bytes;   // bytes the tree wrote (wchar)
  std::optional<Count> ctx_switches;  // voluntary + involuntary context switches
  std::optional<Count> cpu_percent;   // hundredths of a percent of one core ("< 50" = 5000)
  // Zombies (exited, not reaped by their parent) among the selected processes of the tree;
  // `count`, `user` and `threads` look at live processes only.
  std::optional<Count> zombies;
  bool count_set = true;             // false when only `zombies` was asked (count not checked)
};

struct Expectation {
  std::variant<RequestExpectation, ExitExpectation, LogExpectation, ListeningExpectation, ProcessExpectation,
               FileExpectation, StrictExpectation, MetricExpectation, CommandExpectation, SequenceExpectation,
               MessageExpectation, DogStatsdExpectation, ResourceExpectation>
      check;
  std::optional<Duration> within;  // eventually: wait up to this long for it to hold
  SourceLocation where;
  // log, request, metric, message, order: count only events inside this window ("never during" = absent).
  std::optional<Window> during;
  // listening, process, file: sampled while the steps run instead of checked once.
  std::optional<SampledWindow> sampled = std::nullopt;
};

}  // namespace bbx::model
