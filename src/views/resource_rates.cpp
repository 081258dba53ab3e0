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

}  // namespace

std::optional<double> CounterRate::next(std::int64_t t_ns, std::optional<double> value, double scale) {
  if (!ref_t_) {
    ref_t_ = t_ns, ref_v_ = value;
    return std::nullopt;
  }
  auto dt_ns = t_ns - *ref_t_;
  if (dt_ns < kMinRateIntervalNs) return std::nullopt;  // measured from the older sample next time
  std::optional<double> out;
  if (ref_v_ && value && *value >= *ref_v_) out = (*value - *ref_v_) * scale / (double(dt_ns) / 1e9);
  ref_t_ = t_ns, ref_v_ = value;
  return out;
}

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

  auto it = subjects_.find(e.source.name);
  if (it == subjects_.end()) it = subjects_.emplace(std::string(e.source.name), Subject{}).first;
  auto& s = it->second;
  // cpu in ms per second of wall time: percent of one core is ms/s / 10.
  p.cpu_pct = s.cpu.next(e.t_ns, field(b, "cpu_ms"), 0.1);
  p.cpu_user_pct = s.user.next(e.t_ns, field(b, "cpu_user_ms"), 0.1);
  p.cpu_system_pct = s.system.next(e.t_ns, field(b, "cpu_system_ms"), 0.1);
  p.read_bps = s.read.next(e.t_ns, field(b, "read_bytes"), 1);
  p.write_bps = s.write.next(e.t_ns, field(b, "write_bytes"), 1);
  p.ctx_voluntary_ps = s.vol.next(e.t_ns, field(b, "ctx_voluntary"), 1);
  p.ctx_involuntary_ps = s.invol.next(e.t_ns, field(b, "ctx_involuntary"), 1);

  if (!with_processes || !b.has("procs")) return p;
  p.has_procs = true;
  std::map<std::int64_t, CounterRate> seen;
  for (const auto& text : b.items("procs")) {
    auto proc = journal::BodyRef::over_text(text);
    if (!proc || !proc->has("pid")) continue;
    ProcessPoint pp;
    pp.pid = proc->num("pid");
    pp.ppid = proc->num("ppid");
    pp.comm = proc->str("comm");
    pp.rss_bytes = field(*proc, "rss_bytes");
    pp.threads = field(*proc, "threads");
    auto& cpu = seen[pp.pid];  // a process not in the previous sample: its first, no rate
    if (auto before = s.procs.find(pp.pid); before != s.procs.end()) cpu = before->second;
    pp.cpu_pct = cpu.next(e.t_ns, field(*proc, "cpu_ms"), 0.1);
    p.procs.push_back(std::move(pp));
  }
  s.procs = std::move(seen);
  return p;
}

}  // namespace bbx::views
