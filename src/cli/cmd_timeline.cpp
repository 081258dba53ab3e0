// `bbx timeline [RUN|SCENARIO_DIR]`: the merged timeline of stored journals, one line per
// event (views/timeline_text.hpp), filtered (views/timeline_filter.hpp), followed while a
// scenario still runs, or written as trace.json / timeline.html on demand.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "bbx/error.hpp"
#include "cli/color.hpp"
#include "cli/command_table.hpp"
#include "journal/stored_journal.hpp"
#include "views/scenario_views.hpp"
#include "views/stored_runs.hpp"
#include "views/timeline_filter.hpp"
#include "views/timeline_text.hpp"

namespace bbx::cli {

namespace {

namespace fs = std::filesystem;

std::vector<OptionSpec> timeline_options() {
  return {
      {"runs-dir", 0, true, "DIR", "where runs are (default sandbox/runs); RUN may be a run id under it"},
      {"all", 0, false, "", "every scenario of the run, not only those that did not pass"},
      {"source", 0, true, "GLOB", "only events of this source: a label (app:stderr, fake:api, step:NAME), a source name (app) or kind (assert, step); repeatable"},
      {"type", 0, true, "GLOB", "only events of this type (http.request, assert.*); repeatable"},
      {"grep", 0, true, "REGEX", "only lines (as printed, without colour) in which REGEX is found (PCRE2)"},
      {"since", 0, true, "POINT", "from POINT on (inclusive): a time since the scenario's start (1.5s, +250ms), a seq (#48) or a mark's name (mark:NAME or NAME)"},
      {"until", 0, true, "POINT", "up to POINT (inclusive), as --since"},
      {"around", 0, true, "SEQ[±N]", "only N events either side of seq SEQ (default 10; 48+-5 also works)"},
      {"failures", 0, false, "", "only events near failed assertions (10 either side of each assert.fail and of each event it cites)"},
      {"follow", 'f', false, "", "keep printing as a running scenario appends, until its result is written (one scenario only)"},
      {"json", 0, false, "", "print the events as JSON lines (events.jsonl format) instead of text"},
      {"color", 0, true, "WHEN", "auto (default: on a terminal), always or never"},
      {"trace", 0, false, "", "instead of printing, write trace.json (Perfetto) and timeline.html into each scenario's directory and print their paths"},
      {"page-events", 0, true, "N", "with --trace: events per timeline.html page (default 250000; a bigger journal is paged)"},
      {"help", 'h', false, "", "show this help"},
  };
}

void note_tail(const journal::StoredJournal& j) {
  if (auto tail = j.tail_problem())
    std::cerr << "bbx timeline: " << j.path().string() << ":" << tail->line << ": last line not shown: " << tail->what << "\n";
}

int follow(const views::StoredScenario& s, views::TimelineFilter& filter, const views::TimelineTextOptions& options) {
  journal::StoredJournal j(s.journal());
  filter.resolve(j, s.journal().string());
  std::uint64_t next = 1;
  for (;;) {
    bool over = fs::exists(s.dir / "result.json");  // read before the scan: nothing is appended after it
    auto p = views::write_timeline_text(j, filter, std::cout, options, next);
    std::cout.flush();
    next = std::max(next, p.next_seq);
    if (p.finished || over) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  note_tail(j);
  return 0;
}

int timeline(const ParsedArgs& args) {
  if (args.positional.size() > 1) fail_input({}, "expected at most one RUN or SCENARIO_DIR, got " + std::to_string(args.positional.size()));
  std::optional<std::string> target;
  if (!args.positional.empty()) target = args.positional[0];
  fs::path runs_dir = args.value("runs-dir").value_or("sandbox/runs");

  views::TimelineFilterSpec spec;
  spec.sources = args.all("source");
  spec.types = args.all("type");
  spec.grep = args.value("grep");
  spec.since = args.value("since");
  spec.until = args.value("until");
  spec.around = args.value("around");
  spec.failures = args.flag("failures");
  views::TimelineFilter filter(spec);
  views::TimelineTextOptions options;
  options.json = args.flag("json");
  options.color = !options.json && want_color(args);

  auto scenarios = views::find_stored_scenarios(target, runs_dir, args.flag("all"));

  if (args.flag("trace")) {
    views::HtmlOptions html;
    html.page_events = static_cast<std::uint64_t>(args.integer("page-events", 250'000, 1, 100'000'000));
    for (const auto& s : scenarios) {
      journal::StoredJournal j(s.journal());
      auto written = views::write_scenario_views(j, s.dir, {}, html);
      for (const auto& line : written.messages) std::cout << line << "\n";
      note_tail(j);
    }
    return 0;
  }
  if (args.flag("follow")) {
    if (scenarios.size() != 1)
      fail_input({}, "--follow follows one scenario; " + std::to_string(scenarios.size()) + " were selected (name a scenario directory)");
    return follow(scenarios[0], filter, options);
  }
  std::ios::sync_with_stdio(false);
  for (const auto& s : scenarios) {
    journal::StoredJournal j(s.journal());
    filter.resolve(j, s.journal().string());
    if (scenarios.size() > 1 && !options.json)
      std::cout << "== " << s.id << " (" << s.verdict << ")  " << s.journal().string() << "\n";
    if (spec.failures && filter.failures_found() == 0)
      std::cerr << "bbx timeline: no failed assertion in " << s.journal().string() << "\n";
    views::write_timeline_text(j, filter, std::cout, options, 1);
    std::cout.flush();
    note_tail(j);
  }
  return 0;
}

}  // namespace

Command cmd_timeline() {
  return {"timeline", "print the merged timeline of a run's journals", "bbx timeline [options] [RUN|SCENARIO_DIR]",
          "Prints every event of a scenario's journal (events.jsonl) on one clock, one line each:\n"
          "  +1.234s  #48  [app:stderr]  text\n"
          "(time since the scenario's start, seq, source, what happened). Without RUN: the latest\n"
          "run's scenarios that did not pass, or all of them when every one passed. RUN is a run\n"
          "directory or a run id; SCENARIO_DIR a scenario's directory or its events.jsonl.\n"
          "Filters combine (an event must pass all of them). Memory stays bounded whatever the\n"
          "journal's size. With --trace, writes trace.json (open it in ui.perfetto.dev) and\n"
          "timeline.html (any browser, no network) beside each journal instead.\n",
          timeline_options(), timeline};
}

}  // namespace bbx::cli
