#include "report/console_reporter.hpp"

#include <cstdio>

#include "journal/stored_journal.hpp"
#include "report/console.hpp"
#include "report/event_text.hpp"
#include "report/run_phase.hpp"

namespace bbx::report {

namespace {

using Clock = std::chrono::steady_clock;

std::string seconds(Clock::duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", std::chrono::duration<double>(d).count());
  return buf;
}

}  // namespace

// What the console has read of one running scenario's journal.
struct ConsoleReporter::Follow {
  std::filesystem::path journal;
  std::uint64_t next = 1;  // the seq to read from
  RunPhase phase;
  Clock::time_point next_still_running;

  std::unique_ptr<journal::StoredJournal> stored;  // kept: its index finds `next` without a rescan

  // Reads what was appended since the last call (a line still being written waits): every
  // event when all (verbose), else only those the phase looks at (the others, resource
  // samples among them, are not parsed).
  template <class Fn>
  void read_new(bool all, Fn&& fn) {
    try {
      if (!stored) {
        std::error_code ec;
        if (!std::filesystem::exists(journal, ec)) return;
        stored = std::make_unique<journal::StoredJournal>(journal);
      }
      next = stored->for_each_of(all ? journal::TypeFilter{} : RunPhase::types(), next, [&](const Event& e) {
        phase.feed(e);
        fn(e);
        return true;
      });
    } catch (const std::exception&) {  // a journal the runner has not finished creating
      stored.reset();
    }
  }
};

ConsoleReporter::ConsoleReporter(std::ostream& out, ConsoleOptions options) : out_(out), options_(options) {}

ConsoleReporter::~ConsoleReporter() = default;

bool ConsoleReporter::wants_ticks() const { return options_.status_line || options_.verbose || options_.still_running_after.count() > 0; }

void ConsoleReporter::run_started(const RunStart& run) {
  total_ = run.scenarios.size();
  run_start_ = Clock::now();
}

void ConsoleReporter::erase_status() {
  if (!status_shown_) return;
  out_ << "\r\x1b[K";
  status_shown_ = false;
}

void ConsoleReporter::draw_status(std::span<const RunningScenario> running) {
  std::string names;
  for (const auto& r : running) names += (names.empty() ? "" : ", ") + r.scenario->id;
  if (names.size() > 60) names = names.substr(0, 57) + "...";
  out_ << "\r\x1b[K[" << done_ << "/" << total_ << " done]" << (names.empty() ? "" : " running: " + names) << " ("
       << seconds(Clock::now() - run_start_) << ")";
  status_shown_ = true;
}

void ConsoleReporter::tick(std::span<const RunningScenario> running) {
  erase_status();
  const auto now = Clock::now();
  for (const auto& r : running) {
    auto& f = follows_[r.index];
    if (!f) {
      f = std::make_unique<Follow>();
      f->journal = r.dir / "events.jsonl";
      f->next_still_running = r.started + options_.still_running_after;
    }
    f->read_new(options_.verbose, [&](const Event& e) {
      if (options_.verbose) out_ << "[" << r.scenario->id << "] " << event_line(e, {0, options_.color, 0}) << "\n";
    });
    if (options_.still_running_after.count() > 0 && now >= f->next_still_running) {
      // The journal's clock starts when the runner does: about when the coordinator started it.
      auto journal_now = std::chrono::duration_cast<std::chrono::nanoseconds>(now - r.started).count();
      out_ << "  ... " << r.scenario->id << " still running after " << seconds(now - r.started) << ": "
           << f->phase.describe(journal_now) << "\n";
      f->next_still_running = now + std::chrono::seconds(30);
    }
  }
  if (options_.status_line) draw_status(running);
  out_.flush();
}

void ConsoleReporter::scenario_done(const ScenarioResult& result, std::size_t index) {
  erase_status();
  if (options_.verbose && !result.dir.empty()) {  // the events since the last tick (all, if it was quick), then the verdict
    auto& f = follows_[index];
    if (!f) {
      f = std::make_unique<Follow>();
      f->journal = std::filesystem::path(result.dir) / "events.jsonl";
    }
    f->read_new(true, [&](const Event& e) { out_ << "[" << result.id << "] " << event_line(e, {0, options_.color, 0}) << "\n"; });
  }
  follows_.erase(index);
  ++done_;
  if (!(options_.quiet && result.verdict == Verdict::passed)) print_scenario(out_, result, options_);
  out_.flush();
}

void ConsoleReporter::run_done(const RunSummary& summary) {
  erase_status();
  print_summary(out_, summary, options_.color);
  out_.flush();
}

}  // namespace bbx::report
