#include "compare/diff_report.hpp"

namespace bbx::compare {

namespace {

const char* paint(bool on, const char* code) { return on ? code : ""; }

std::string seqs(const Difference& d, const ReportStyle& s) {
  std::string out;
  if (d.seq_a) out += s.a_name + " #" + std::to_string(d.seq_a);
  if (d.seq_b) out += (out.empty() ? "" : ", ") + s.b_name + " #" + std::to_string(d.seq_b);
  return out.empty() ? "" : "   [" + out + "]";
}

}  // namespace

std::string scenario_report(const ScenarioDiff& d, const ReportStyle& s) {
  std::string out;
  const char* bold = paint(s.color, "\033[1m");
  const char* reset = paint(s.color, "\033[0m");
  const char* red = paint(s.color, "\033[31m");
  const char* green = paint(s.color, "\033[32m");
  const char* dim = paint(s.color, "\033[2m");
  if (d.only_in_a || d.only_in_b) {
    out += std::string(bold) + d.id + reset + ": ran only in " + (d.only_in_a ? s.a_name : s.b_name) + " (" +
           (d.only_in_a ? d.a : d.b) + ")\n";
    return out;
  }
  if (d.same() && d.notes.empty()) return out;
  out += std::string(bold) + d.id + reset + ": " +
         (d.same() ? "same" : std::to_string(d.differences.size()) + " difference" + (d.differences.size() == 1 ? "" : "s")) +
         "\n";
  for (const auto& n : d.notes) out += "  note: " + n + "\n";
  for (const auto& x : d.differences) {
    std::string layer = layer_name(x.layer);
    layer.resize(10, ' ');
    out += "  " + std::string(dim) + layer + reset + x.where + ": " + x.message + dim + seqs(x, s) + reset + "\n";
    std::size_t shown = 0;
    for (const auto& line : x.detail) {
      if (s.detail_lines && shown == s.detail_lines) {
        out += "             " + std::string(dim) + "… " + std::to_string(x.detail.size() - shown) +
               " more lines: --json and --html show every one" + reset + "\n";
        break;
      }
      const char* c = line.rfind("- ", 0) == 0 ? red : line.rfind("+ ", 0) == 0 ? green : dim;
      out += "             " + std::string(c) + line + reset + "\n";
      ++shown;
    }
  }
  return out;
}

std::string diff_report(const std::vector<ScenarioDiff>& diffs, const ReportStyle& s) {
  std::string out;
  std::size_t differ = 0, same = 0;
  std::vector<std::string> same_ids;
  for (const auto& d : diffs) {
    if (d.same()) {
      ++same;
      same_ids.push_back(d.id);
    } else {
      ++differ;
    }
    auto block = scenario_report(d, s);
    if (!block.empty()) out += block + "\n";
  }
  if (same) {
    out += "same: ";
    for (std::size_t i = 0; i < same_ids.size(); ++i) out += (i ? ", " : "") + same_ids[i];
    out += "\n";
  }
  out += std::to_string(diffs.size()) + " scenario" + (diffs.size() == 1 ? "" : "s") + " compared: " +
         std::to_string(differ) + " differ" + (differ == 1 ? "s" : "") + ", " + std::to_string(same) + " same\n";
  return out;
}

}  // namespace bbx::compare
