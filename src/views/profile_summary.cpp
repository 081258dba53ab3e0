#include "views/profile_summary.hpp"

#include <algorithm>
#include <cmath>

namespace bbx::views {

namespace {

// Max and mean of the known values.
ProfileStat stat_of(const std::vector<std::optional<double>>& values) {
  ProfileStat s;
  double sum = 0;
  std::size_t n = 0;
  for (const auto& v : values) {
    if (!v) continue;
    s.max = s.max ? std::max(*s.max, *v) : *v;
    sum += *v;
    ++n;
  }
  if (n > 0) s.avg = sum / static_cast<double>(n);
  return s;
}

template <typename F>
std::vector<std::optional<double>> column(const std::vector<ProfileSample>& samples, F field) {
  std::vector<std::optional<double>> out;
  out.reserve(samples.size());
  for (const auto& s : samples) out.push_back(field(s));
  return out;
}

std::optional<double> as_double(const Maybe& m) {
  if (!m) return std::nullopt;
  return static_cast<double>(*m);
}

std::optional<double> last_known(const std::vector<ProfileSample>& samples, Maybe ProfileSample::*field) {
  for (auto it = samples.rbegin(); it != samples.rend(); ++it)
    if ((*it).*field) return static_cast<double>(*((*it).*field));
  return std::nullopt;
}

nlohmann::json rounded(const std::optional<double>& v, double step) {
  if (!v) return nullptr;
  if (step >= 1) return static_cast<std::int64_t>(std::round(*v / step) * step);
  double per = std::round(1 / step);  // 0.1 -> 10: 4.75 * 10 is exact, 4.75 / 0.1 is not
  return std::round(*v * per) / per;
}

}  // namespace

ProfileSummary summarize(const SubjectProfile& p) {
  ProfileSummary s;
  s.scenario = p.scenario;
  s.subject = p.subject;
  s.argv = p.argv;
  s.duration_s = p.duration_s();
  s.exit = p.exit;
  s.samples = p.samples.size();
  const auto& v = p.samples;
  if (v.empty()) return s;
  std::vector<double> gaps;
  for (std::size_t i = 1; i < v.size(); ++i) gaps.push_back(static_cast<double>(v[i].t_ns - v[i - 1].t_ns) / 1e6);
  if (!gaps.empty()) {
    std::nth_element(gaps.begin(), gaps.begin() + long(gaps.size() / 2), gaps.end());
    s.interval_ms = gaps[gaps.size() / 2];
  }
  for (const auto& x : v)
    if (!x.accounting.empty()) s.accounting = x.accounting;
  s.cpu_s = static_cast<double>(v.back().cpu_ms) / 1000.0;
  if (auto u = last_known(v, &ProfileSample::cpu_user_ms)) s.cpu_user_s = *u / 1000.0;
  if (auto k = last_known(v, &ProfileSample::cpu_system_ms)) s.cpu_system_s = *k / 1000.0;
  s.cpu_pct.max = stat_of(cpu_percent(v)).max;
  if (v.size() > 1 && v.back().t_ns > v.front().t_ns)
    s.cpu_pct.avg = 100.0 * static_cast<double>(v.back().cpu_ms - v.front().cpu_ms) * 1e6 /
                    static_cast<double>(v.back().t_ns - v.front().t_ns);
  s.rss_bytes = stat_of(column(v, [](const ProfileSample& x) { return std::optional<double>(double(x.rss_bytes)); }));
  s.pss_bytes = stat_of(column(v, [](const ProfileSample& x) { return as_double(x.pss_bytes); }));
  auto peak = stat_of(column(v, [](const ProfileSample& x) { return as_double(x.rss_peak_bytes); })).max;
  if (peak) s.rss_peak_bytes = std::max(*peak, s.rss_bytes.max.value_or(0));
  s.read_bytes = last_known(v, &ProfileSample::read_bytes);
  s.write_bytes = last_known(v, &ProfileSample::write_bytes);
  s.read_rate = stat_of(rate_per_second(v, &ProfileSample::read_bytes));
  s.write_rate = stat_of(rate_per_second(v, &ProfileSample::write_bytes));
  s.fds = stat_of(column(v, [](const ProfileSample& x) { return std::optional<double>(double(x.fds)); }));
  s.threads = stat_of(column(v, [](const ProfileSample& x) { return std::optional<double>(double(x.threads)); }));
  s.processes = stat_of(column(v, [](const ProfileSample& x) { return std::optional<double>(double(x.processes)); }));
  s.ctx_voluntary = last_known(v, &ProfileSample::ctx_voluntary);
  s.ctx_involuntary = last_known(v, &ProfileSample::ctx_involuntary);

  auto procs = process_series(v);
  auto top = [&](auto value) {
    std::vector<TopProcess> out;
    for (const auto& ps : procs) out.push_back({ps.pid, ps.comm, value(ps)});
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.value > b.value; });
    if (out.size() > ProfileSummary::kTop) out.resize(ProfileSummary::kTop);
    return out;
  };
  s.top_cpu = top([](const ProcessSeries& ps) { return static_cast<double>(ps.cpu_ms) / 1000.0; });
  s.top_rss = top([](const ProcessSeries& ps) { return static_cast<double>(ps.rss_max); });
  return s;
}

nlohmann::json summary_json(const ProfileSummary& s) {
  using nlohmann::json;
  auto pair = [](const ProfileStat& st, double step) { return json{{"max", rounded(st.max, step)}, {"avg", rounded(st.avg, step)}}; };
  json exit = nullptr;
  if (s.exit) {
    exit = {{"describe", s.exit->describe}, {"status", s.exit->shell_status()}};
    if (s.exit->code) exit["code"] = *s.exit->code;
    if (s.exit->signal_number) exit["signal_number"] = *s.exit->signal_number;
  }
  json top_cpu = json::array(), top_rss = json::array();
  for (const auto& t : s.top_cpu) top_cpu.push_back({{"pid", t.pid}, {"comm", t.comm}, {"cpu_s", rounded(t.value, 0.001)}});
  for (const auto& t : s.top_rss) top_rss.push_back({{"pid", t.pid}, {"comm", t.comm}, {"rss_max_bytes", rounded(t.value, 1)}});
  return {
      {"scenario", s.scenario},
      {"subject", s.subject},
      {"command", s.argv},
      {"duration_s", rounded(s.duration_s, 0.001)},
      {"exit", exit},
      {"samples", s.samples},
      {"interval_ms", rounded(s.interval_ms, 0.1)},
      {"accounting", s.accounting.empty() ? json(nullptr) : json(s.accounting)},
      {"cpu",
       {{"total_s", rounded(s.cpu_s, 0.001)},
        {"user_s", rounded(s.cpu_user_s, 0.001)},
        {"system_s", rounded(s.cpu_system_s, 0.001)},
        {"percent_max", rounded(s.cpu_pct.max, 0.1)},
        {"percent_avg", rounded(s.cpu_pct.avg, 0.1)}}},
      {"memory",
       {{"rss_max_bytes", rounded(s.rss_bytes.max, 1)},
        {"rss_avg_bytes", rounded(s.rss_bytes.avg, 1)},
        {"rss_peak_bytes", rounded(s.rss_peak_bytes, 1)},
        {"pss_max_bytes", rounded(s.pss_bytes.max, 1)},
        {"pss_avg_bytes", rounded(s.pss_bytes.avg, 1)}}},
      {"io",
       {{"read_bytes", rounded(s.read_bytes, 1)},
        {"write_bytes", rounded(s.write_bytes, 1)},
        {"read_rate_max_bps", rounded(s.read_rate.max, 1)},
        {"read_rate_avg_bps", rounded(s.read_rate.avg, 1)},
        {"write_rate_max_bps", rounded(s.write_rate.max, 1)},
        {"write_rate_avg_bps", rounded(s.write_rate.avg, 1)}}},
      {"fds", pair(s.fds, 0.1)},
      {"threads", pair(s.threads, 0.1)},
      {"processes", pair(s.processes, 0.1)},
      {"context_switches", {{"voluntary", rounded(s.ctx_voluntary, 1)}, {"involuntary", rounded(s.ctx_involuntary, 1)}}},
      {"top_cpu", top_cpu},
      {"top_rss", top_rss},
  };
}

}  // namespace bbx::views
