#include "views/profile_csv.hpp"

#include <cstdio>
#include <map>

namespace bbx::views {

namespace {

std::string cell(const Maybe& v) { return v ? std::to_string(*v) : std::string(); }

std::string cell(const std::optional<double>& v, const char* format) {
  if (!v) return {};
  char buf[64];
  std::snprintf(buf, sizeof buf, format, *v);
  return buf;
}

std::string seconds(std::int64_t t_ns, std::int64_t start_ns) {
  return cell(std::optional<double>(static_cast<double>(t_ns - start_ns) / 1e9), "%.3f");
}

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string quoted(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::string profile_csv(const SubjectProfile& p) {
  std::string out =
      "t_s,cpu_pct,cpu_ms,cpu_user_ms,cpu_system_ms,rss_bytes,rss_peak_bytes,pss_bytes,read_bytes,write_bytes,"
      "read_bps,write_bps,fds,threads,processes,ctx_voluntary,ctx_involuntary\n";
  const auto& v = p.samples;
  auto cpu = cpu_percent(v);
  auto reads = rate_per_second(v, &ProfileSample::read_bytes);
  auto writes = rate_per_second(v, &ProfileSample::write_bytes);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto& s = v[i];
    out += seconds(s.t_ns, p.start_ns) + "," + cell(cpu[i], "%.1f") + "," + std::to_string(s.cpu_ms) + "," +
           cell(s.cpu_user_ms) + "," + cell(s.cpu_system_ms) + "," + std::to_string(s.rss_bytes) + "," +
           cell(s.rss_peak_bytes) + "," + cell(s.pss_bytes) + "," + cell(s.read_bytes) + "," + cell(s.write_bytes) +
           "," + cell(reads[i], "%.0f") + "," + cell(writes[i], "%.0f") + "," + std::to_string(s.fds) + "," +
           std::to_string(s.threads) + "," + std::to_string(s.processes) + "," + cell(s.ctx_voluntary) + "," +
           cell(s.ctx_involuntary) + "\n";
  }
  return out;
}

std::string profile_procs_csv(const SubjectProfile& p) {
  std::string out = "t_s,pid,ppid,comm,cpu_pct,cpu_ms,rss_bytes,threads,read_bytes,write_bytes\n";
  const auto& v = p.samples;
  auto series = process_series(v);
  std::map<std::pair<std::int64_t, std::string>, std::size_t> index;
  for (std::size_t k = 0; k < series.size(); ++k) index.emplace(std::make_pair(series[k].pid, series[k].comm), k);
  for (std::size_t i = 0; i < v.size(); ++i) {
    for (const auto& q : v[i].procs) {
      const auto* point = series[index.at(std::make_pair(q.pid, q.comm))].at(i);
      std::string pct = point ? cell(point->cpu_pct, "%.1f") : std::string();
      out += seconds(v[i].t_ns, p.start_ns) + "," + std::to_string(q.pid) + "," + std::to_string(q.ppid) + "," +
             quoted(q.comm) + "," + pct + "," + std::to_string(q.cpu_ms) + "," + std::to_string(q.rss_bytes) +
             "," + std::to_string(q.threads) + "," + cell(q.read_bytes) + "," + cell(q.write_bytes) + "\n";
    }
  }
  return out;
}

}  // namespace bbx::views
