// The catalogue of journal event types: every type bbx appends, with the source kinds that
// append it. docs/journal-events.md documents each one (body fields, which fields vary from
// run to run); tests/test_journal_event_types.cpp fails when the two lists disagree.
//
// Journal::append takes an EventType, and only this catalogue can make one (its constructor
// is private to `ev`), so appending a type that is not catalogued does not compile:
//   journal.append({"subject", name, pid}, journal::ev::process_spawn, body);
// Adding a type: one line in BBX_EVENT_TYPES and its section in docs/journal-events.md.
#pragma once

#include <array>
#include <string_view>

// X(identifier, "type name", "source kinds, comma-separated")
#define BBX_EVENT_TYPES(X)                                  \
  X(scenario_begin, "scenario.begin", "scenario")           \
  X(scenario_end, "scenario.end", "scenario")               \
  X(step_begin, "step.begin", "step")                       \
  X(step_end, "step.end", "step")                           \
  X(mark, "mark", "step")                                   \
  X(wait_done, "wait.done", "step")                         \
  X(http_reply, "http.reply", "step")                       \
  X(file_write, "file.write", "scenario")                   \
  X(port_allocate, "port.allocate", "scenario")             \
  X(process_spawn, "process.spawn", "subject")              \
  X(process_exit, "process.exit", "subject")                \
  X(process_signal, "process.signal", "subject")            \
  X(subject_daemonized, "subject.daemonized", "subject")    \
  X(output_line, "output.line", "subject,step,probe")       \
  X(log_line, "log.line", "subject")                        \
  X(command_start, "command.start", "step,probe")           \
  X(command_exit, "command.exit", "step,probe")             \
  X(subject_ready_check, "subject.ready_check", "subject")  \
  X(socket_listen, "socket.listen", "subject")              \
  X(subject_ready, "subject.ready", "subject")              \
  X(fake_listen, "fake.listen", "fake")                     \
  X(fake_accept_error, "fake.accept_error", "fake")         \
  X(http_request, "http.request", "fake")                   \
  X(http_response, "http.response", "fake")                 \
  X(http_bad_request, "http.bad_request", "fake")           \
  X(http_tls_error, "http.tls_error", "fake")               \
  X(http_upstream, "http.upstream", "fake")                 \
  X(statsd_receiver, "statsd.receiver", "fake")             \
  X(statsd_datagram, "statsd.datagram", "fake")             \
  X(statsd_event, "statsd.event", "fake")                   \
  X(statsd_service_check, "statsd.service_check", "fake")   \
  X(statsd_parse_error, "statsd.parse_error", "fake")       \
  X(statsd_loss, "statsd.loss", "fake")                     \
  X(tcp_server, "tcp.server", "fake")                       \
  X(tcp_connect, "tcp.connect", "fake")                     \
  X(tcp_message, "tcp.message", "fake")                     \
  X(tcp_framing_error, "tcp.framing_error", "fake")         \
  X(tcp_close, "tcp.close", "fake")                         \
  X(assert_pass, "assert.pass", "assert")                   \
  X(assert_fail, "assert.fail", "assert")                   \
  X(assert_skip, "assert.skip", "assert")                   \
  X(probe_sample, "probe.sample", "assert")                 \
  X(resource_sample, "resource.sample", "subject")          \
  X(resource_sampler, "resource.sampler", "runner")        \
  X(failure_snapshot, "failure.snapshot", "scenario")     \
  X(failure_stacks, "failure.stacks", "subject")

namespace bbx::journal {

class EventType {
 public:
  constexpr std::string_view name() const { return name_; }
  // The source kinds that append this type, comma-separated ("subject,step,probe").
  constexpr std::string_view sources() const { return sources_; }
  constexpr bool operator==(const EventType& other) const { return name_ == other.name_; }
  // True when an event's type string is this type.
  bool is(std::string_view type) const { return type == name_; }

 private:
  friend struct ev;
  constexpr EventType(std::string_view name, std::string_view sources) : name_(name), sources_(sources) {}
  std::string_view name_;
  std::string_view sources_;
};

// The catalogue: ev::process_spawn, ev::http_request, ... and ev::all().
struct ev {
#define BBX_EVENT_TYPE_CONSTANT(id, name, sources) static constexpr EventType id{name, sources};
  BBX_EVENT_TYPES(BBX_EVENT_TYPE_CONSTANT)
#undef BBX_EVENT_TYPE_CONSTANT

#define BBX_EVENT_TYPE_ENTRY(id, name, sources) id,
  static constexpr std::array all{BBX_EVENT_TYPES(BBX_EVENT_TYPE_ENTRY)};
#undef BBX_EVENT_TYPE_ENTRY
};

}  // namespace bbx::journal
