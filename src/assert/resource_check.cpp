#include "assert/resource_check.hpp"

#include <cmath>
#include <cstdio>
#include <vector>

#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

using M = ResourceCheck::Measure;

constexpr const char* kNames[] = {"max_rss", "cpu",         "fds",          "threads",    "max_pss",
                                  "read_bytes", "write_bytes", "ctx_switches", "cpu_percent"};

bool is_peak(int m) { return m <= M::pss; }

std::string seconds(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3fs", double(ns) / 1e9);
  return buf;
}

std::string cpu_text(std::int64_t ns) {
  if (ns < 1'000'000'000) return std::to_string(ns / 1'000'000) + "ms";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", double(ns) / 1e9);
  return buf;
}

std::optional<std::int64_t> field(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

}  // namespace

std::string describe(const model::ResourceExpectation& spec) { return "resources of subject '" + spec.subject + "'"; }

const std::optional<model::Count>& ResourceCheck::range(int m) const {
  switch (m) {
    case M::rss: return spec_.max_rss;
    case M::cpu: return spec_.cpu;
    case M::fds: return spec_.fds;
    case M::threads: return spec_.threads;
    case M::pss: return spec_.max_pss;
    case M::read: return spec_.read_bytes;
    case M::write: return spec_.write_bytes;
    case M::ctx: return spec_.ctx_switches;
    default: return spec_.cpu_percent;
  }
}

std::optional<std::int64_t> ResourceCheck::value(int m) const {
  if (is_peak(m)) return peaks_[m].value < 0 ? std::nullopt : std::optional<std::int64_t>(peaks_[m].value);
  const Growth& g = growth_[m];
  if (!g.last) return std::nullopt;
  if (m != M::cpu_percent) return g.sum;
  if (g.last_t_ns <= g.first_t_ns) return std::nullopt;  // one sample: no interval
  // cpu_ms growth over the interval, in hundredths of a percent of one core.
  return std::llround(100.0 * 100.0 * double(g.sum) / (double(g.last_t_ns - g.first_t_ns) / 1e6));
}

bool ResourceCheck::in_range(int m) const {
  if (!range(m)) return true;
  auto v = value(m);
  return v && range(m)->contains(*v);
}

void ResourceCheck::add(Growth& g, std::int64_t v, const Event& e, bool from_zero) const {
  if (!g.last) {
    g.sum = from_zero ? v : 0;
    g.first_t_ns = e.t_ns;
    g.first_seq = e.seq;
  } else {
    g.sum += v >= *g.last ? v - *g.last : v;  // a drop: a restarted subject's new total
  }
  g.last = v;
  g.last_t_ns = e.t_ns;
  g.last_seq = e.seq;
}

bool ResourceCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [&](const Event& e) {
    if (!journal::ev::resource_sample.is(e.type) || e.source.kind != "subject" || e.source.name != spec_.subject) return true;
    ++samples_;
    const auto& b = e.body;
    auto peak = [&](int m, std::optional<std::int64_t> v) {
      if (v && *v > peaks_[m].value) peaks_[m] = {*v, e.t_ns, e.seq};
    };
    peak(M::rss, field(b, "rss_bytes"));
    if (auto ms = field(b, "cpu_ms")) peak(M::cpu, *ms * 1'000'000);  // ms -> ns, the unit of the cpu range
    peak(M::fds, field(b, "fds"));
    peak(M::threads, field(b, "threads"));
    peak(M::pss, field(b, "pss_bytes"));
    if (auto v = field(b, "read_bytes")) add(growth_[M::read], *v, e, !windowed_);
    if (auto v = field(b, "write_bytes")) add(growth_[M::write], *v, e, !windowed_);
    auto vol = field(b, "ctx_voluntary"), invol = field(b, "ctx_involuntary");
    if (vol && invol) add(growth_[M::ctx], *vol + *invol, e, !windowed_);
    if (auto ms = field(b, "cpu_ms")) add(growth_[M::cpu_percent], *ms, e, false);
    return true;
  }, {journal::ev::resource_sample});
  if (samples_ == 0) return false;
  for (int m = 0; m < M::kMeasures; ++m)
    if (!in_range(m)) return false;
  return true;
}

std::string ResourceCheck::value_text(int m) const {
  std::string name = kNames[m];
  auto v = value(m);
  std::string out;
  if (!v) {
    out = name + " unknown (" +
          (m == M::cpu_percent && growth_[m].last ? std::string("one sample: no interval")
           : m == M::pss ? std::string("no sample has pss_bytes: PSS is read on a start's first sample and once a second, not above 1GiB of RSS")
                         : std::string("no sample has it: a journal of an older bbx?")) +
          ")";
  } else if (is_peak(m)) {
    const Peak& p = peaks_[m];
    std::string shown = m == M::rss || m == M::pss ? util::format_size(static_cast<std::uint64_t>(p.value))
                        : m == M::cpu              ? cpu_text(p.value)
                                                   : std::to_string(p.value);
    out = name + " peak " + shown + " at t=" + seconds(p.t_ns) + " (seq " + std::to_string(p.seq) + ")";
  } else {
    const Growth& g = growth_[m];
    std::string shown;
    if (m == M::cpu_percent) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1f%%", double(*v) / 100.0);
      shown = buf;
    } else {
      shown = m == M::ctx ? std::to_string(*v) : util::format_size(static_cast<std::uint64_t>(*v));
    }
    if (m == M::cpu_percent || windowed_)
      out = name + " " + shown + " over t=" + seconds(g.first_t_ns) + ".." + seconds(g.last_t_ns) + " (seqs " +
            std::to_string(g.first_seq) + ".." + std::to_string(g.last_seq) + ")";
    else
      out = name + " " + shown + " at t=" + seconds(g.last_t_ns) + " (seq " + std::to_string(g.last_seq) + ")";
  }
  if (!in_range(m)) out += ", not " + range(m)->text;
  return out;
}

CheckResult ResourceCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.where = where;
  std::vector<std::string> expected, actual;
  for (int m = 0; m < M::kMeasures; ++m)
    if (range(m)) expected.push_back(std::string(kNames[m]) + " " + range(m)->text);
  r.expected = util::join(expected, ", ");
  if (samples_ == 0) {
    r.actual = "no resource samples of subject '" + spec_.subject + "' (it never ran while sampled)";
    return r;
  }
  r.passed = true;
  auto cite = [&](int m) {
    if (is_peak(m)) {
      if (peaks_[m].value >= 0) r.evidence.push_back(peaks_[m].seq);
      return;
    }
    const Growth& g = growth_[m];
    if (!g.last) return;
    if ((m == M::cpu_percent || windowed_) && g.first_seq != g.last_seq) r.evidence.push_back(g.first_seq);
    r.evidence.push_back(g.last_seq);
  };
  for (int m = 0; m < M::kMeasures; ++m) {
    if (!range(m)) continue;
    actual.push_back(value_text(m));
    if (!in_range(m)) {
      r.passed = false;
      cite(m);
    }
  }
  r.actual = util::join(actual, "; ") + "; " + std::to_string(samples_) + (samples_ == 1 ? " sample" : " samples");
  if (r.passed)
    for (int m = 0; m < M::kMeasures; ++m)
      if (range(m)) cite(m);
  return r;
}

}  // namespace bbx::assertions
