#include "views/profile_compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "bbx/error.hpp"
#include "journal/stored_journal.hpp"
#include "views/stored_runs.hpp"

namespace bbx::views {

namespace {

std::string number(double v, const char* format) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string bytes(double v) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double a = std::fabs(v);
  int u = 0;
  while (a >= 1024 && u < 4) {
    a /= 1024;
    ++u;
  }
  if (u == 0) return number(v, "%.0f") + " B";
  return number(v < 0 ? -a : a, "%.1f") + " " + units[u];
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

std::string signed_measure(double v, const std::string& unit) {
  std::string text = format_measure(v, unit);
  return v > 0 ? "+" + text : text;
}

}  // namespace

CompareInput load_compare_input(const std::string& label, const std::string& path, const std::filesystem::path& runs_dir) {
  CompareInput in;
  in.label = label;
  in.path = path;
  for (const auto& s : find_stored_scenarios(path, runs_dir, true)) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(s.journal(), ec)) continue;
    journal::StoredJournal j(s.journal());
    for (auto& p : read_profiles(j))
      if (!p.samples.empty() || p.exit) in.subjects.push_back(std::move(p));
  }
  if (in.subjects.empty()) fail_input({path}, "no subject was sampled or ran to its end in its journals");
  return in;
}

std::vector<MatchedSubject> match_subjects(const std::vector<CompareInput>& inputs) {
  std::vector<MatchedSubject> out;
  bool single = std::all_of(inputs.begin(), inputs.end(), [](const auto& in) { return in.subjects.size() == 1; });
  if (single) {
    MatchedSubject m;
    m.key = inputs.empty() ? "" : inputs.front().subjects.front().subject;
    for (const auto& in : inputs) m.per_input.push_back(&in.subjects.front());
    if (!inputs.empty()) out.push_back(std::move(m));
    return out;
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < inputs.size(); ++i)
    for (const auto& s : inputs[i].subjects) {
      auto key = s.scenario + " / " + s.subject;
      auto it = index.find(key);
      if (it == index.end()) {
        it = index.emplace(key, out.size()).first;
        out.push_back({key, std::vector<const SubjectProfile*>(inputs.size(), nullptr)});
      }
      if (!out[it->second].per_input[i]) out[it->second].per_input[i] = &s;
    }
  return out;
}

std::vector<CompareRow> compare_rows(const std::vector<const ProfileSummary*>& summaries) {
  struct Measure {
    const char* name;
    const char* unit;
    std::optional<double> (*get)(const ProfileSummary&);
  };
  static const Measure measures[] = {
      {"duration", "s", [](const ProfileSummary& s) { return std::optional<double>(s.duration_s); }},
      {"CPU time", "s", [](const ProfileSummary& s) { return s.cpu_s; }},
      {"CPU user", "s", [](const ProfileSummary& s) { return s.cpu_user_s; }},
      {"CPU system", "s", [](const ProfileSummary& s) { return s.cpu_system_s; }},
      {"CPU max", "%", [](const ProfileSummary& s) { return s.cpu_pct.max; }},
      {"CPU avg", "%", [](const ProfileSummary& s) { return s.cpu_pct.avg; }},
      {"memory peak", "B", [](const ProfileSummary& s) { return s.memory_peak(); }},
      {"RSS avg", "B", [](const ProfileSummary& s) { return s.rss_bytes.avg; }},
      {"PSS max", "B", [](const ProfileSummary& s) { return s.pss_bytes.max; }},
      {"read", "B", [](const ProfileSummary& s) { return s.read_bytes; }},
      {"written", "B", [](const ProfileSummary& s) { return s.write_bytes; }},
      {"fds max", "count", [](const ProfileSummary& s) { return s.fds.max; }},
      {"threads max", "count", [](const ProfileSummary& s) { return s.threads.max; }},
      {"processes max", "count", [](const ProfileSummary& s) { return s.processes.max; }},
      {"ctx switches vol", "count", [](const ProfileSummary& s) { return s.ctx_voluntary; }},
      {"ctx switches invol", "count", [](const ProfileSummary& s) { return s.ctx_involuntary; }},
  };
  std::vector<CompareRow> rows;
  for (const auto& m : measures) {
    CompareRow row{m.name, m.unit, {}};
    bool known = false;
    for (const auto* s : summaries) {
      row.values.push_back(s ? m.get(*s) : std::nullopt);
      known = known || row.values.back().has_value();
    }
    if (known) rows.push_back(std::move(row));
  }
  return rows;
}

std::string format_measure(const std::optional<double>& value, const std::string& unit) {
  if (!value) return "-";
  double v = *value;
  if (unit == "s") return number(v, "%.3f") + "s";
  if (unit == "%") return number(v, "%.1f") + "%";
  if (unit == "B") return bytes(v);
  if (unit == "B/s") return bytes(v) + "/s";
  return std::fabs(v - std::round(v)) < 1e-9 ? number(v, "%.0f") : number(v, "%.1f");
}

namespace {

std::vector<CompareRow> rows_of(const MatchedSubject& subject) {
  std::vector<ProfileSummary> owned;
  owned.reserve(subject.per_input.size());
  std::vector<const ProfileSummary*> summaries;
  for (const auto* p : subject.per_input) {
    if (p) owned.push_back(summarize(*p));
    summaries.push_back(p ? &owned.back() : nullptr);
  }
  return compare_rows(summaries);
}

std::string percent_change(double from, double d) { return from == 0 ? "-" : number(100.0 * d / from, "%+.1f") + "%"; }

}  // namespace

std::vector<std::string> compare_headlines(const MatchedSubject& subject, const std::vector<CompareInput>& inputs) {
  auto rows = rows_of(subject);
  std::vector<std::string> out;
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    if (!subject.per_input[0] || !subject.per_input[i]) continue;
    std::string line = inputs[i].label + " vs " + inputs[0].label + ":";
    const char* sep = " ";
    for (const auto& r : rows) {
      if (r.measure != "duration" && r.measure != "CPU time" && r.measure != "memory peak") continue;
      line += sep + r.measure + " ";
      sep = ", ";
      if (!r.values[0] || !r.values[i]) {
        line += "-";
        continue;
      }
      double d = *r.values[i] - *r.values[0];
      line += signed_measure(d, r.unit);
      if (*r.values[0] != 0) line += " (" + percent_change(*r.values[0], d) + ")";
    }
    out.push_back(line);
  }
  return out;
}

std::vector<std::vector<std::string>> compare_table(const MatchedSubject& subject, const std::vector<CompareInput>& inputs) {
  auto rows = rows_of(subject);
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> head = {"measure"};
  for (const auto& in : inputs) head.push_back(in.label);
  for (std::size_t i = 1; i < inputs.size(); ++i) {
    head.push_back(inputs[i].label + "-" + inputs[0].label);
    head.push_back(inputs[i].label + "/" + inputs[0].label + " %");
  }
  table.push_back(head);
  std::vector<std::string> exits = {"exit"};
  for (const auto* p : subject.per_input) exits.push_back(p && p->exit ? std::to_string(p->exit->shell_status()) : "-");
  exits.resize(head.size(), "");
  table.push_back(exits);
  for (const auto& r : rows) {
    std::vector<std::string> cells = {r.measure};
    for (const auto& v : r.values) cells.push_back(format_measure(v, r.unit));
    for (std::size_t i = 1; i < inputs.size(); ++i) {
      if (!r.values[0] || !r.values[i]) {
        cells.insert(cells.end(), {"-", "-"});
        continue;
      }
      double d = *r.values[i] - *r.values[0];
      cells.push_back(signed_measure(d, r.unit));
      cells.push_back(percent_change(*r.values[0], d));
    }
    table.push_back(cells);
  }
  return table;
}

std::string compare_text(const MatchedSubject& subject, const std::vector<CompareInput>& inputs) {
  std::string out = "subject " + subject.key + "\n";
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!subject.per_input[i]) out += "  (not in " + inputs[i].label + ")\n";
  for (const auto& line : compare_headlines(subject, inputs)) out += line + "\n";
  auto table = compare_table(subject, inputs);
  std::vector<std::size_t> width;
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  for (const auto& row : table) {
    std::string line = "  ";
    for (std::size_t c = 0; c < row.size(); ++c) line += pad(row[c], width[c] + 2);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace bbx::views
