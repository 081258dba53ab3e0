// `bbx diff A B`: compares two runs (or scenario directories, or journals) scenario by
// scenario, from their stored journals, in three layers (compare/diff.hpp); prints the
// differences most significant first, or JSON, and can write a self-contained diff.html.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bbx/error.hpp"
#include "cli/color.hpp"
#include "cli/command_table.hpp"
#include "compare/diff.hpp"
#include "compare/diff_html.hpp"
#include "compare/diff_report.hpp"
#include "compare/run_journals.hpp"
#include "util/text.hpp"

namespace bbx::cli {

namespace {

bool selected(const ParsedArgs& args, const std::string& id) {
  const auto& wanted = args.all("scenario");
  if (wanted.empty()) return true;
  for (const auto& w : wanted)
    if (w == id || util::glob_match(w, id)) return true;
  return false;
}

int diff(const ParsedArgs& args) {
  if (args.positional.size() != 2)
    fail_input({}, "bbx diff needs two runs to compare (run directories, scenario directories or events.jsonl files), got " +
                       std::to_string(args.positional.size()));
  compare::Thresholds thresholds;
  for (const auto& t : args.all("threshold")) compare::parse_threshold(t, thresholds);
  thresholds.use_cpu_pressure = !args.flag("ignore-cpu-pressure");
  const bool color = want_color(args);
  std::optional<std::string> html = args.value("html");
  std::ofstream html_out;
  if (html) {  // opened first: a path that cannot be written is invalid input, before any work
    html_out.open(*html, std::ios::trunc);
    if (!html_out) fail_input({*html}, "--html: cannot write this file");
  }

  const auto& a = args.positional[0];
  const auto& b = args.positional[1];
  auto pairs = compare::pair_journals(compare::find_journals(a), compare::find_journals(b));
  std::vector<compare::ScenarioDiff> diffs;
  for (const auto& p : pairs) {
    if (!selected(args, p.id)) continue;
    compare::ScenarioDiff d;
    if (p.a && p.b) {
      d = compare::diff_journals(*p.a, *p.b, thresholds);
    } else {
      d.id = p.id;
      d.a = p.a ? p.a->string() : "";
      d.b = p.b ? p.b->string() : "";
      d.only_in_a = p.a.has_value();
      d.only_in_b = p.b.has_value();
    }
    if (p.attempt > 1) d.id += " (attempt " + std::to_string(p.attempt) + ")";
    diffs.push_back(std::move(d));
  }
  if (diffs.empty()) {
    std::string known;
    for (const auto& p : pairs) known += (known.empty() ? "" : ", ") + p.id;
    fail_input({}, "--scenario: no scenario matches (these ran: " + known + ")");
  }
  bool same = true;
  for (const auto& d : diffs) same = same && d.same();

  if (html) {
    html_out << compare::diff_html(diffs, a, b);
    html_out.close();
    if (!html_out) fail_harness("cannot write " + *html);
  }
  if (args.flag("json")) {
    nlohmann::ordered_json j;
    j["format"] = "bbx-diff";
    j["version"] = 1;
    j["a"] = a;
    j["b"] = b;
    j["same"] = same;
    auto& list = j["scenarios"] = nlohmann::ordered_json::array();
    for (const auto& d : diffs) list.push_back(compare::to_json(d));
    std::cout << j.dump(2) << "\n";
  } else {
    compare::ReportStyle style;
    style.color = color;
    std::cout << "bbx diff  A: " << a << "  B: " << b << "\n\n" << compare::diff_report(diffs, style);
    if (html) std::cout << "diff.html: " << *html << "\n";
  }
  return same ? 0 : 1;
}

}  // namespace

Command cmd_diff() {
  return {"diff", "compare two runs: behaviour, counts and numbers", "bbx diff [options] A B",
          "Compares two runs scenario by scenario from their journals. A and B are run directories\n"
          "(sandbox/runs/<run-id>, their scenarios paired by id, matrix variants by their own ids),\n"
          "scenario directories or events.jsonl files. What bbx allocated (sandbox paths, ports, pids)\n"
          "and other volatile values (UUIDs, hex ids, ephemeral ports, timestamps, durations) are\n"
          "normalised first, then the scenario's compare: rules apply. Differences come in three\n"
          "layers, most significant first: behaviour (verdicts, checks, exits, each source's events\n"
          "in order, requests and metrics as multisets), counts (per route and status, per metric,\n"
          "lines per level and per template) and numbers (durations, readiness, latencies, resource\n"
          "peaks) beyond --threshold. docs/comparing-runs.md has the details.\n"
          "Exit codes: 0 the same, 1 they differ, 2 invalid input.\n",
          {
              {"scenario", 0, true, "ID", "compare only this scenario (an id or a glob; repeatable)"},
              {"threshold", 0, true, "T",
               "when numbers differ: a relative change (default 50%), and an absolute one per unit: a duration "
               "(default 250ms), a size (default 16MiB), a count (default 10); a number differs when beyond both "
               "(repeatable: --threshold 20% --threshold 50ms)"},
              {"ignore-cpu-pressure", 0, false, "",
               "judge durations as measured, even when one run was made on a busier machine (by default they are "
               "judged against what the difference in CPU pressure explains, and a note says so)"},
              {"json", 0, false, "", "print the differences as JSON (format bbx-diff, version 1) instead"},
              {"html", 0, true, "FILE", "also write a self-contained HTML report to FILE (diff.html)"},
              {"color", 0, true, "WHEN", "auto (default), always or never"},
              {"help", 'h', false, "", "show this help"},
          },
          diff};
}

}  // namespace bbx::cli
