#include "assert/resource_check.hpp"

#include <cstdio>
#include <vector>

#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

constexpr const char* kNames[] = {"max_rss", "cpu", "fds", "threads"};
constexpr const char* kFields[] = {"rss_bytes", "cpu_ms", "fds", "threads"};

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

}  // namespace

std::string describe(const model::ResourceExpectation& spec) { return "resources of subject '" + spec.subject + "'"; }

const std::optional<model::Count>& ResourceCheck::range(int m) const {
  switch (m) {
    case rss: return spec_.max_rss;
    case cpu: return spec_.cpu;
    case fds: return spec_.fds;
    default: return spec_.threads;
  }
}

bool ResourceCheck::in_range(int m) const { return !range(m) || range(m)->contains(peaks_[m].value); }

bool ResourceCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [&](const Event& e) {
    if (!journal::ev::resource_sample.is(e.type) || e.source.kind != "subject" || e.source.name != spec_.subject) return true;
    ++samples_;
    for (int m = 0; m < 4; ++m) {
      std::int64_t v = e.body.value(kFields[m], std::int64_t{0});
      if (m == cpu) v *= 1'000'000;  // ms -> ns, the unit of the cpu range
      if (v > peaks_[m].value) peaks_[m] = {v, e.t_ns, e.seq};
    }
    return true;
  }, {journal::ev::resource_sample});
  if (samples_ == 0) return false;
  for (int m = 0; m < 4; ++m)
    if (!in_range(m)) return false;
  return true;
}

std::string ResourceCheck::peak_text(int m) const {
  const Peak& p = peaks_[m];
  std::string value = m == rss ? util::format_size(static_cast<std::uint64_t>(p.value))
                      : m == cpu ? cpu_text(p.value)
                                 : std::to_string(p.value);
  std::string out = std::string(kNames[m]) + " peak " + value + " at t=" + seconds(p.t_ns) + " (seq " +
                    std::to_string(p.seq) + ")";
  if (!in_range(m)) out += ", not " + range(m)->text;
  return out;
}

CheckResult ResourceCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.where = where;
  std::vector<std::string> expected, actual;
  for (int m = 0; m < 4; ++m)
    if (range(m)) expected.push_back(std::string(kNames[m]) + " " + range(m)->text);
  r.expected = util::join(expected, ", ");
  if (samples_ == 0) {
    r.actual = "no resource samples of subject '" + spec_.subject + "' (it never ran while sampled)";
    return r;
  }
  r.passed = true;
  for (int m = 0; m < 4; ++m) {
    if (!range(m)) continue;
    actual.push_back(peak_text(m));
    if (!in_range(m)) {
      r.passed = false;
      r.evidence.push_back(peaks_[m].seq);
    }
  }
  r.actual = util::join(actual, "; ") + "; " + std::to_string(samples_) + (samples_ == 1 ? " sample" : " samples");
  if (r.passed)
    for (int m = 0; m < 4; ++m)
      if (range(m)) r.evidence.push_back(peaks_[m].seq);
  return r;
}

}  // namespace bbx::assertions
