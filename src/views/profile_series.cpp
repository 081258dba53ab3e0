#include "views/profile_series.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "views/resource_rates.hpp"

namespace bbx::views {

namespace {

Maybe maybe(const journal::BodyRef& body, std::string_view key) {
  if (!body.has(key)) return std::nullopt;
  auto text = body.str(key);
  if (text == "null" || text.empty()) return std::nullopt;
  return body.num(key);
}

ProfileProcess process_of(const std::string& text) {
  ProfileProcess p;
  auto read = [&](const journal::BodyRef& b) {
    p.pid = b.num("pid");
    p.ppid = b.num("ppid");
    p.comm = b.str("comm");
    p.cpu_ms = b.num("cpu_ms");
    p.rss_bytes = b.num("rss_bytes");
    p.threads = b.num("threads");
    p.read_bytes = maybe(b, "read_bytes");
    p.write_bytes = maybe(b, "write_bytes");
  };
  if (auto b = journal::BodyRef::over_text(text)) {
    read(*b);
  } else {  // not the writer's compact form: parsed
    auto tree = nlohmann::json::parse(text, nullptr, false);
    if (tree.is_object()) read(journal::BodyRef(tree));
  }
  return p;
}

}  // namespace

ProfileSample profile_sample(const journal::EventRef& e) {
  const auto& b = e.body;
  ProfileSample s;
  s.t_ns = e.t_ns;
  s.rss_bytes = b.num("rss_bytes");
  s.cpu_ms = b.num("cpu_ms");
  s.fds = b.num("fds");
  s.threads = b.num("threads");
  s.processes = b.num("processes");
  s.cpu_user_ms = maybe(b, "cpu_user_ms");
  s.cpu_system_ms = maybe(b, "cpu_system_ms");
  s.rss_peak_bytes = maybe(b, "rss_peak_bytes");
  s.read_bytes = maybe(b, "read_bytes");
  s.write_bytes = maybe(b, "write_bytes");
  s.ctx_voluntary = maybe(b, "ctx_voluntary");
  s.ctx_involuntary = maybe(b, "ctx_involuntary");
  s.pss_bytes = maybe(b, "pss_bytes");
  s.accounting = b.str("accounting");
  for (const auto& item : b.items("procs")) s.procs.push_back(process_of(item));
  return s;
}

std::vector<SubjectProfile> read_profiles(const journal::EventLog& log) {
  std::vector<SubjectProfile> out;
  std::map<std::string, std::size_t, std::less<>> index;
  std::string scenario;
  auto of = [&](std::string_view name) -> SubjectProfile& {
    auto it = index.find(name);
    if (it != index.end()) return out[it->second];
    index.emplace(std::string(name), out.size());
    auto& p = out.emplace_back();
    p.scenario = scenario;
    p.subject = std::string(name);
    p.start_ns = -1;
    return p;
  };
  using namespace journal;
  log.for_each_ref_of({ev::scenario_begin, ev::process_spawn, ev::process_exit, ev::resource_sample}, 1,
                      [&](const EventRef& e) {
                        if (e.type == ev::scenario_begin.name()) {
                          scenario = e.body.str("id");
                          return true;
                        }
                        if (e.source.kind != "subject" || e.source.name == "unknown") return true;
                        auto& p = of(e.source.name);
                        if (e.type == ev::resource_sample.name()) {
                          p.samples.push_back(profile_sample(e));
                          if (p.start_ns < 0) p.start_ns = e.t_ns;
                          if (!p.exit) p.end_ns = e.t_ns;
                        } else if (e.type == ev::process_spawn.name()) {
                          if (p.argv.empty()) p.argv = e.body.items("argv");
                          if (p.start_ns < 0) p.start_ns = e.t_ns;
                        } else if (e.body.flag("main")) {  // process.exit of a main process
                          ProfileExit x;
                          if (e.body.has("code")) x.code = static_cast<int>(e.body.num("code"));
                          if (e.body.has("signal_number")) x.signal_number = static_cast<int>(e.body.num("signal_number"));
                          x.describe = e.body.str("describe");
                          p.exit = x;
                          p.end_ns = e.t_ns;
                        }
                        return true;
                      });
  for (auto& p : out) {
    if (p.start_ns < 0) p.start_ns = 0;
    if (p.end_ns < p.start_ns) p.end_ns = p.start_ns;
  }
  return out;
}

std::vector<std::optional<double>> cpu_percent(const std::vector<ProfileSample>& samples) {
  std::vector<std::optional<double>> out;
  out.reserve(samples.size());
  CounterRate cpu;
  for (const auto& s : samples) out.push_back(cpu.next(s.t_ns, static_cast<double>(s.cpu_ms), 0.1));
  return out;
}

std::vector<std::optional<double>> rate_per_second(const std::vector<ProfileSample>& samples, Maybe ProfileSample::*field) {
  std::vector<std::optional<double>> out;
  out.reserve(samples.size());
  CounterRate bytes;
  for (const auto& s : samples) {
    std::optional<double> value;
    if (const auto& v = s.*field) value = static_cast<double>(*v);
    out.push_back(bytes.next(s.t_ns, value, 1));
  }
  return out;
}

const ProfileProcessPoint* ProcessSeries::at(std::size_t sample) const {
  auto it = std::lower_bound(points.begin(), points.end(), sample, [](const ProfileProcessPoint& p, std::size_t i) { return p.sample < i; });
  return it != points.end() && it->sample == sample ? &*it : nullptr;
}

std::vector<std::optional<double>> ProcessSeries::dense_cpu_pct(std::size_t n) const {
  std::vector<std::optional<double>> out(n);
  for (const auto& p : points)
    if (p.sample < n) out[p.sample] = p.cpu_pct;
  return out;
}

std::vector<std::optional<double>> ProcessSeries::dense_rss(std::size_t n) const {
  std::vector<std::optional<double>> out(n);
  for (const auto& p : points)
    if (p.sample < n) out[p.sample] = p.rss_bytes;
  return out;
}

std::vector<ProcessSeries> process_series(const std::vector<ProfileSample>& samples) {
  std::vector<ProcessSeries> out;
  std::map<std::pair<std::int64_t, std::string>, std::size_t> index;
  std::vector<CounterRate> rates;  // each process's CPU, by index into out
  for (std::size_t i = 0; i < samples.size(); ++i) {
    for (const auto& p : samples[i].procs) {
      auto [it, fresh] = index.try_emplace(std::make_pair(p.pid, p.comm), out.size());
      if (fresh) {
        auto& s = out.emplace_back();
        s.pid = p.pid;
        s.comm = p.comm;
        // New since the previous sample: all of its CPU so far counts over that interval.
        rates.push_back(i > 0 ? CounterRate(samples[i - 1].t_ns, 0) : CounterRate());
      }
      auto& s = out[it->second];
      if (!s.points.empty() && s.points.back().sample == i) continue;  // listed twice in one sample
      ProfileProcessPoint point;
      point.sample = i;
      point.rss_bytes = static_cast<double>(p.rss_bytes);
      point.cpu_pct = rates[it->second].next(samples[i].t_ns, static_cast<double>(p.cpu_ms), 0.1);
      s.points.push_back(point);
      s.cpu_ms = std::max(s.cpu_ms, p.cpu_ms);
      s.rss_max = std::max(s.rss_max, p.rss_bytes);
    }
  }
  return out;
}

}  // namespace bbx::views
