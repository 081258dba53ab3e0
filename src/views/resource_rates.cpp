#include "views/resource_rates.hpp"

#include <cmath>
#include <limits>

namespace bbx::views {

namespace {

std::optional<double> field(const journal::BodyRef& body, std::string_view key) {
  double v = body.real(key, std::numeric_limits<double>::quiet_NaN());  // NaN: absent, null or not a number
  if (std::isnan(v)) return std::nullopt;
  return v;
}

// The rate per second of a monotonic counter from `before` to `now` over dt_ns; unknown
// when either is unknown or the counter went down.
std::optional<double> rate(std::optional<double> before, std::optional<double> now, double dt_ns, double per_second) {
  if (!before || !now || *now < *before) return std::nullopt;
  return (*now - *before) * per_second / (dt_ns / 1e9);
}

}  // namespace

ResourcePoint ResourceRates::add(const journal::EventRef& e, bool with_processes) {
  const auto& b = e.body;
  ResourcePoint p;
  p.t_ns = e.t_ns;
  p.rss_bytes = field(b, "rss_bytes");
  p.rss_peak_bytes = field(b, "rss_peak_bytes");
  p.pss_bytes = field(b, "pss_bytes");
  p.fds = field(b, "fds");
  p.threads = field(b, "threads");
  p.processes = field(b, "processes");

  Counters now{e.t_ns,
               field(b, "cpu_ms"),
               field(b, "cpu_user_ms"),
               field(b, "cpu_system_ms"),
               field(b, "read_bytes"),
               field(b, "write_bytes"),
               field(b, "ctx_voluntary"),
               field(b, "ctx_involuntary")};
  auto it = subjects_.find(e.source.name);
  if (it == subjects_.end()) it = subjects_.emplace(std::string(e.source.name), Subject{}).first;
  auto& s = it->second;
  if (!s.ref) {
    s.ref = now;
  } else if (double dt = double(e.t_ns - s.ref->t_ns); dt >= double(kMinRateIntervalNs)) {
    // cpu in ms per second of wall time: percent of one core is ms/s / 10.
    p.cpu_pct = rate(s.ref->cpu, now.cpu, dt, 0.1);
    p.cpu_user_pct = rate(s.ref->user, now.user, dt, 0.1);
    p.cpu_system_pct = rate(s.ref->system, now.system, dt, 0.1);
    p.read_bps = rate(s.ref->read, now.read, dt, 1);
    p.write_bps = rate(s.ref->write, now.write, dt, 1);
    p.ctx_voluntary_ps = rate(s.ref->vol, now.vol, dt, 1);
    p.ctx_involuntary_ps = rate(s.ref->invol, now.invol, dt, 1);
    s.ref = now;
  }

  if (!with_processes || !b.has("procs")) return p;
  p.has_procs = true;
  std::map<std::int64_t, std::pair<std::int64_t, double>> seen;
  for (const auto& text : b.items("procs")) {
    auto proc = journal::BodyRef::over_text(text);
    if (!proc || !proc->has("pid")) continue;
    ProcessPoint pp;
    pp.pid = proc->num("pid");
    pp.ppid = proc->num("ppid");
    pp.comm = proc->str("comm");
    pp.rss_bytes = field(*proc, "rss_bytes");
    pp.threads = field(*proc, "threads");
    auto cpu = field(*proc, "cpu_ms");
    auto before = s.procs.find(pp.pid);
    if (cpu && before != s.procs.end()) {
      double dt = double(e.t_ns - before->second.first);
      if (dt < double(kMinRateIntervalNs)) {
        seen[pp.pid] = before->second;  // too short: measured from the older sample next time
      } else {
        pp.cpu_pct = rate(before->second.second, cpu, dt, 0.1);
        seen[pp.pid] = {e.t_ns, *cpu};
      }
    } else if (cpu) {
      seen[pp.pid] = {e.t_ns, *cpu};
    }
    p.procs.push_back(std::move(pp));
  }
  s.procs = std::move(seen);
  return p;
}

}  // namespace bbx::views
