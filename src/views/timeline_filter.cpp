#include "views/timeline_filter.hpp"

#include <algorithm>
#include <charconv>

#include "bbx/error.hpp"
#include "journal/event_types.hpp"
#include "report/event_text.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::views {

namespace {

std::optional<std::uint64_t> parse_seq(std::string_view s) {
  if (!s.empty() && s.front() == '#') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
}

bool has_wildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

void add_window(std::vector<std::pair<std::uint64_t, std::uint64_t>>& w, std::uint64_t seq, std::uint64_t n) {
  w.emplace_back(seq > n ? seq - n : 1, seq > UINT64_MAX - n ? UINT64_MAX : seq + n);
}

// Sorts and merges overlapping or touching windows.
void merge(std::vector<std::pair<std::uint64_t, std::uint64_t>>& w) {
  std::sort(w.begin(), w.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  for (const auto& x : w) {
    if (!out.empty() && x.first <= out.back().second + 1) out.back().second = std::max(out.back().second, x.second);
    else out.push_back(x);
  }
  w = std::move(out);
}

}  // namespace

TimelinePoint parse_point(const std::string& option, const std::string& text) {
  TimelinePoint p;
  std::string_view t = util::trim(text);
  if (t.empty()) fail_input({}, "--" + option + ": expected a time (1.5s), a seq (#48) or a mark name, got nothing");
  if (t.starts_with("mark:")) {
    p.kind = TimelinePoint::Kind::mark;
    p.mark = std::string(t.substr(5));
    return p;
  }
  if (auto seq = parse_seq(t)) {
    p.kind = TimelinePoint::Kind::seq;
    p.seq = *seq;
    return p;
  }
  if (t.front() == '#') fail_input({}, "--" + option + ": '" + text + "' is not a seq (#1, #2, ...)");
  std::string_view d = t.front() == '+' ? t.substr(1) : t;
  if (auto ns = util::parse_duration(d)) {
    p.kind = TimelinePoint::Kind::time;
    p.t_ns = ns->count();
    return p;
  }
  p.kind = TimelinePoint::Kind::mark;
  p.mark = std::string(t);
  return p;
}

std::pair<std::uint64_t, std::uint64_t> parse_around(const std::string& text) {
  std::string_view t = util::trim(text);
  std::string_view seq = t, n;
  for (std::string_view sep : {"±", "+-", "~"}) {
    if (auto at = t.find(sep); at != std::string_view::npos) {
      seq = t.substr(0, at);
      n = t.substr(at + sep.size());
      break;
    }
  }
  auto s = parse_seq(seq);
  std::uint64_t count = kFailureContext;
  bool n_ok = true;
  if (!n.empty() || seq.size() != t.size()) {
    auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), count);
    n_ok = !n.empty() && ec == std::errc() && ptr == n.data() + n.size();
  }
  if (!s || !n_ok) fail_input({}, "--around: expected SEQ or SEQ±N (e.g. 48 or 48±5; 48+-5 also works), got '" + text + "'");
  return {*s, count};
}

TimelineFilter::TimelineFilter(const TimelineFilterSpec& spec) : spec_(spec) {
  std::vector<std::string> names;
  for (const auto& pattern : spec.types) {
    bool any = false;
    for (const auto& t : journal::ev::all) {
      if (!util::glob_match(pattern, t.name())) continue;
      any = true;
      if (std::find(names.begin(), names.end(), t.name()) == names.end()) names.emplace_back(t.name());
    }
    if (!any) {
      std::vector<std::string> known;
      for (const auto& t : journal::ev::all) known.emplace_back(t.name());
      auto close = has_wildcard(pattern) ? std::string() : util::closest_match(pattern, known);
      fail_input({}, "--type: '" + pattern + "' matches no event type" + (close.empty() ? "" : "; did you mean '" + close + "'?") +
                         " (the types are listed in docs/journal-events.md)");
    }
  }
  if (!names.empty()) types_ = journal::TypeFilter(std::move(names));
  if (spec.grep) {
    std::string error;
    grep_ = util::Regex::try_compile(*spec.grep, &error);
    if (!grep_) fail_input({}, "--grep: invalid regex '" + *spec.grep + "': " + error);
  }
  if (spec.since) since_ = parse_point("since", *spec.since);
  if (spec.until) until_ = parse_point("until", *spec.until);
  if (spec.around) around_ = parse_around(*spec.around);
}

std::uint64_t TimelineFilter::point_seq(const TimelinePoint& p, const journal::EventLog& log,
                                        const std::string& journal_name, const std::string& option) const {
  std::uint64_t found = 0;
  log.for_each_of({journal::ev::mark}, 1, [&](const Event& e) {
    if (e.body.value("name", std::string()) != p.mark) return true;
    found = e.seq;
    return false;
  });
  if (found) return found;
  std::vector<std::string> marks;
  log.for_each_of({journal::ev::mark}, 1, [&](const Event& e) {
    auto name = e.body.value("name", std::string());
    if (std::find(marks.begin(), marks.end(), name) == marks.end() && marks.size() < 20) marks.push_back(name);
    return true;
  });
  fail_input({}, "--" + option + ": no mark '" + p.mark + "' in " + journal_name +
                     (marks.empty() ? " (it has no marks)" : " (its marks: " + util::join(marks, ", ") + ")") +
                     "; a time is written 1.5s, a seq #48");
}

void TimelineFilter::resolve(const journal::EventLog& log, const std::string& journal_name) {
  since_seq_ = 0;
  until_seq_ = UINT64_MAX;
  since_ns_ = INT64_MIN;
  until_ns_ = INT64_MAX;
  windows_.clear();
  windowed_ = false;
  failures_found_ = 0;
  if (since_) {
    switch (since_->kind) {
      case TimelinePoint::Kind::time: since_ns_ = since_->t_ns; break;
      case TimelinePoint::Kind::seq: since_seq_ = since_->seq; break;
      case TimelinePoint::Kind::mark: since_seq_ = point_seq(*since_, log, journal_name, "since"); break;
    }
  }
  if (until_) {
    switch (until_->kind) {
      case TimelinePoint::Kind::time: until_ns_ = until_->t_ns; break;
      case TimelinePoint::Kind::seq: until_seq_ = until_->seq; break;
      case TimelinePoint::Kind::mark: until_seq_ = point_seq(*until_, log, journal_name, "until"); break;
    }
  }
  if (around_) {
    windowed_ = true;
    add_window(windows_, around_->first, around_->second);
  }
  if (spec_.failures) {
    windowed_ = true;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> fw;
    log.for_each_of({journal::ev::assert_fail}, 1, [&](const Event& e) {
      ++failures_found_;
      add_window(fw, e.seq, kFailureContext);
      if (auto it = e.body.find("evidence"); it != e.body.end() && it->is_array())
        for (const auto& s : *it)
          if (s.is_number_unsigned()) add_window(fw, s.get<std::uint64_t>(), kFailureContext);
      return true;
    });
    merge(fw);
    if (around_) {  // both: the intersection
      std::vector<std::pair<std::uint64_t, std::uint64_t>> both;
      for (const auto& f : fw) {
        auto lo = std::max(f.first, windows_[0].first), hi = std::min(f.second, windows_[0].second);
        if (lo <= hi) both.emplace_back(lo, hi);
      }
      windows_ = std::move(both);
    } else {
      windows_ = std::move(fw);
    }
  }
  merge(windows_);
}

std::uint64_t TimelineFilter::first_seq() const {
  std::uint64_t first = std::max<std::uint64_t>(since_seq_, 1);
  if (windowed_ && !windows_.empty()) first = std::max(first, windows_.front().first);
  return first;
}

bool TimelineFilter::source_admits(const journal::EventRef& e) const {
  if (spec_.sources.empty()) return true;
  const auto label = report::source_label(e);
  for (const auto& s : spec_.sources) {
    if (util::glob_match(s, label) || util::glob_match(s, e.source.name) || util::glob_match(s, e.source.kind)) return true;
    if (label.size() > s.size() && label.compare(0, s.size(), s) == 0 && label[s.size()] == ':') return true;
  }
  return false;
}

bool TimelineFilter::admits(const journal::EventRef& e, const std::string* line) const {
  if (e.seq < since_seq_ || e.seq > until_seq_) return false;
  if (e.t_ns < since_ns_ || e.t_ns > until_ns_) return false;
  if (windowed_) {
    auto it = std::lower_bound(windows_.begin(), windows_.end(), std::pair(e.seq, UINT64_MAX));
    if (it == windows_.begin()) return false;
    if (std::prev(it)->second < e.seq) return false;
  }
  if (!types_.admits(e.type)) return false;
  if (!source_admits(e)) return false;
  if (grep_ && (!line || grep_->search(*line) != util::RegexMatch::yes)) return false;
  return true;
}

bool TimelineFilter::done(const journal::EventRef& e) const {
  if (e.seq >= until_seq_ || e.t_ns > until_ns_) return true;
  if (windowed_ && (windows_.empty() || e.seq >= windows_.back().second)) return true;
  return false;
}

}  // namespace bbx::views
