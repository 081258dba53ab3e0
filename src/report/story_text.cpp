#include "report/story_text.hpp"

#include <algorithm>
#include <cstdio>

#include "util/cpu_stretch.hpp"

namespace bbx::report {

namespace {

// "s.yaml:20:5: exit of subject 'shop': expected exited with code 0, got exited with code 70 (#60)"
std::string one_line(const StoryFailure& f) {
  const auto& c = f.check;
  auto at = c.where.to_string();
  auto actual = c.actual.substr(0, c.actual.find('\n'));
  return (at.empty() ? "" : at + ": ") + c.what + ": expected " + c.expected + ", got " + actual +
         (f.seq ? " (#" + std::to_string(f.seq) + ")" : "");
}

std::string plural(std::size_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

}  // namespace

std::string busy_line(double cpu_pressure) {
  char text[200];
  std::snprintf(text, sizeof text,
                "machine busy: some task waited for a CPU %.0f%% of the run's time (CPU pressure), so timings may be "
                "up to x%.1f an idle machine's: a timeout or a slow step may be the load's, not the subject's",
                std::clamp(cpu_pressure, 0.0, 1.0) * 100, util::cpu_stretch(cpu_pressure));
  return text;
}

std::string check_block(const CheckResult& c, const std::string& indent) {
  std::string out = indent + "  " + (c.where.path.empty() ? "" : c.where.to_string() + ": ") + c.what + "\n";
  out += indent + "    expected: " + c.expected + "\n";
  out += indent + "    actual:   " + c.actual + "\n";
  if (!c.evidence.empty()) {
    out += indent + "    events:  ";
    for (std::size_t i = 0; i < c.evidence.size() && i < 10; ++i) out += " #" + std::to_string(c.evidence[i]);
    if (c.evidence.size() > 10) out += " (and " + std::to_string(c.evidence.size() - 10) + " more)";
    out += "\n";
  }
  return out;
}

StoryText story_text(const FailureStory& story, const std::string& indent) {
  StoryText t;
  // A harness error or an interrupt without a failed check: its message, without claiming a cause.
  if (!story.sentence.empty()) t.cause = indent + (story.first ? "first cause " : "") + story.headline() + "\n";
  if (story.first) t.cause += check_block(story.first->check, indent);
  if (story.cpu_pressure && *story.cpu_pressure >= kBusyPressure) t.cause += indent + busy_line(*story.cpu_pressure) + "\n";
  if (!story.window.empty()) {
    t.window = indent + "timeline around it (#" + std::to_string(story.window_from) + "–#" +
               std::to_string(story.window_to) + " of " + plural(story.journal_events, "event") + ", every source" +
               (story.window_left_out ? "; " + plural(story.window_left_out, "resource sample") + " left out" : "") + "):\n";
    for (const auto& line : story.window) t.window += indent + "  " + line + "\n";
  }
  if (!story.tails.empty()) {
    t.tails = indent + "last output lines of each subject" +
              (story.tails_to ? ", up to #" + std::to_string(story.tails_to) : std::string()) + ":\n";
    for (const auto& s : story.tails) {
      t.tails += indent + "  " + s.subject + " (" + plural(s.lines, "line") +
                 (s.lines > s.texts.size() ? ", the last " + std::to_string(s.texts.size()) : std::string()) + "):\n";
      for (std::size_t i = 0; i < s.texts.size(); ++i)
        t.tails += indent + "    #" + std::to_string(s.seqs[i]) + "  [" + s.streams[i] + "] " + s.texts[i] + "\n";
    }
  }
  if (auto n = story.consequences()) {
    t.rest += indent + plural(n, "later failure") + ", likely " + (n == 1 ? "a consequence" : "consequences") +
              " of the first cause:\n";
    for (const auto& o : story.others)
      if (o.consequence) t.rest += indent + "  " + one_line(o) + "\n";
  }
  std::size_t independent = story.others.size() - story.consequences();
  if (independent > 0) {
    t.rest += indent + (independent == 1 ? "another failure:\n" : std::to_string(independent) + " other failures:\n");
    for (const auto& o : story.others)
      if (!o.consequence) t.rest += check_block(o.check, indent);
  }
  if (story.tally.planned) t.rest += indent + "tally: " + story.tally.text() + "\n";
  if (!story.journal_note.empty() && story.first)
    t.rest += indent + "(told from the result alone: " + story.journal_note + ")\n";
  return t;
}

std::string shell_quote(const std::string& s) {
  static const std::string plain =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./:=@%+,-";
  if (!s.empty() && s.find_first_not_of(plain) == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace bbx::report
