#include "compare/event_fields.hpp"

#include <map>
#include <string>

namespace bbx::compare {

const std::vector<FieldRule>& field_rules() {
  using T = Treatment;
  static const std::vector<FieldRule> rules = {
      {"scenario.begin", "file", T::environment},
      {"scenario.begin", "isolation", T::environment},
      {"scenario.begin", "hostname", T::environment},
      {"scenario.begin", "sandbox", T::role},
      {"scenario.begin", "compare", T::dropped},  // applied, not compared
      {"scenario.end", "message", T::dropped},     // the verdict is compared; the message quotes seqs and pids
      {"scenario.end", "cpu_pressure", T::dropped},  // how busy the machine was: RunProfile::cpu_pressure
      {"step.begin", "where", T::environment},
      {"wait.done", "what", T::role},
      {"http.reply", "url", T::role},
      {"file.write", "bytes", T::dropped},
      {"file.write", "where", T::environment},
      {"port.allocate", "port", T::role},
      {"process.spawn", "argv", T::role},
      {"process.spawn", "cwd", T::role},
      {"process.spawn", "supervisor_pid", T::role},
      {"process.spawn", "executable", T::environment},
      {"subject.daemonized", "from", T::role},
      {"subject.daemonized", "pid", T::role},
      {"command.start", "argv", T::role},
      {"command.start", "executable", T::environment},
      {"subject.ready_check", "path", T::role},
      {"subject.ready_check", "url", T::role},
      {"socket.listen", "port", T::role},
      {"subject.ready", "realtime_ns", T::dropped},
      {"subject.ready", "waited_ns", T::number},
      {"subject.ready", "cpu_ns", T::dropped},
      {"fake.listen", "url", T::role},
      {"fake.listen", "port", T::role},
      {"http.request", "conn", T::dropped},
      {"http.request", "client", T::dropped},
      {"http.request", "headers", T::role},
      {"http.request", "proxy", T::role},
      {"http.request", "from.pid", T::role},
      {"http.response", "conn", T::dropped},
      {"http.response", "request_seq", T::dropped},
      {"http.response", "latency_us", T::number},
      {"http.bad_request", "conn", T::dropped},
      {"http.bad_request", "client", T::dropped},
      {"http.tls_error", "conn", T::dropped},
      {"http.tls_error", "client", T::dropped},
      {"http.upstream", "conn", T::dropped},
      {"http.upstream", "request_seq", T::dropped},
      {"http.upstream", "url", T::role},
      {"http.upstream", "latency_us", T::number},
      {"http.upstream", "reused", T::dropped},
      {"http.upstream", "request.headers", T::role},
      {"statsd.receiver", "port", T::role},
      {"statsd.receiver", "receive_buffer", T::environment},
      {"statsd.receiver", "forced", T::environment},
      {"statsd.datagram", "n", T::dropped},
      {"statsd.datagram", "from", T::dropped},
      {"statsd.datagram", "raw", T::dropped},  // the parsed samples are compared instead
      {"statsd.event", "n", T::dropped},
      {"statsd.service_check", "n", T::dropped},
      {"statsd.parse_error", "n", T::dropped},
      {"statsd.loss", "dropped", T::dropped},
      {"statsd.loss", "total", T::dropped},
      {"tcp.server", "port", T::role},
      {"tcp.connect", "conn", T::dropped},
      {"tcp.connect", "client", T::dropped},
      {"tcp.message", "conn", T::dropped},
      {"tcp.message", "client", T::dropped},
      {"tcp.framing_error", "conn", T::dropped},
      {"tcp.framing_error", "client", T::dropped},
      {"tcp.close", "conn", T::dropped},
      {"tcp.close", "client", T::dropped},
      {"assert.pass", "actual", T::dropped},
      {"assert.pass", "evidence", T::dropped},
      {"assert.pass", "where", T::environment},
      {"assert.fail", "actual", T::dropped},
      {"assert.fail", "evidence", T::dropped},
      {"assert.fail", "where", T::environment},
      {"assert.skip", "actual", T::dropped},
      {"assert.skip", "where", T::environment},
      {"probe.sample", "actual", T::dropped},
      {"probe.sample", "sample", T::dropped},
      {"probe.sample", "window_from", T::dropped},
      {"probe.sample", "where", T::environment},
      {"resource.sample", "rss_bytes", T::number},
      {"resource.sample", "cpu_ms", T::number},
      {"resource.sample", "fds", T::number},
      {"resource.sample", "threads", T::number},
      {"resource.sample", "processes", T::number},
      {"resource.sample", "rss_peak_bytes", T::number},
      {"resource.sample", "pss_bytes", T::number},
      {"resource.sample", "cpu_user_ms", T::number},
      {"resource.sample", "cpu_system_ms", T::number},
      {"resource.sample", "read_bytes", T::number},
      {"resource.sample", "write_bytes", T::number},
      {"resource.sample", "ctx_voluntary", T::number},
      {"resource.sample", "ctx_involuntary", T::number},
      {"resource.sample", "accounting", T::environment},
      {"resource.sample", "procs", T::dropped},
      {"resource.sampler", "ticks", T::dropped},
      {"resource.sampler", "samples", T::dropped},
      {"resource.sampler", "cpu_us", T::dropped},
      {"resource.sampler", "cpu_us_per_sample", T::dropped},
      {"resource.sampler", "skipped_ticks", T::dropped},
      {"resource.sampler", "pss_reads", T::dropped},
      {"resource.sampler", "pss_skipped", T::dropped},
      // The failure bundle is not compared (run_profile.cpp): its presence follows the verdict.
      {"failure.snapshot", "reason", T::dropped},
      {"failure.snapshot", "processes", T::dropped},
      {"failure.stacks", "reason", T::dropped},
      {"failure.stacks", "processes", T::dropped},
      {"failure.stacks", "threads", T::dropped},
      {"failure.stacks", "frozen_ms_max", T::dropped},
      {"failure.stacks", "errors", T::dropped},
      {"failure.stacks", "capture_ms", T::dropped},
  };
  return rules;
}

const std::vector<FieldRule>& rules_of(std::string_view type) {
  static const std::map<std::string, std::vector<FieldRule>, std::less<>> by_type = [] {
    std::map<std::string, std::vector<FieldRule>, std::less<>> m;
    for (const auto& r : field_rules()) m[std::string(r.type)].push_back(r);
    return m;
  }();
  static const std::vector<FieldRule> none;
  auto it = by_type.find(type);
  return it == by_type.end() ? none : it->second;
}

Treatment treatment(std::string_view type, std::string_view field) {
  for (const auto& r : rules_of(type))
    if (r.field == field) return r.how;
  return Treatment::compared;
}

}  // namespace bbx::compare
