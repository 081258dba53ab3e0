// The failure story worded for the console and JUnit: each section, the one-line form of a
// consequence, the full form of an independent failure, and shell quoting for the rerun line.
#include <doctest/doctest.h>

#include "report/story_text.hpp"

using namespace bbx;

namespace {

CheckResult check(std::string what, std::string expected, std::string actual, SourceLocation where,
                  std::vector<std::uint64_t> evidence, CheckKind kind = CheckKind::expectation) {
  CheckResult c;
  c.what = std::move(what);
  c.expected = std::move(expected);
  c.actual = std::move(actual);
  c.where = std::move(where);
  c.evidence = std::move(evidence);
  c.kind = kind;
  return c;
}

report::FailureStory story() {
  report::FailureStory s;
  s.verdict = Verdict::failed;
  s.sentence = "subject 'shop' exited with code 70 during step 3 'x' (s.yaml:13:5)";
  s.at_seq = 26;
  s.at_ns = 734'000'000;
  auto crash = check("subject 'shop' is running", "subject 'shop' running", "exited with code 70; last output:\n    | bye",
                     {"s.yaml", 5, 3}, {26}, CheckKind::crash);
  s.first = report::StoryFailure{crash, 27, 0, false};
  auto exit = check("exit of subject 'shop'", "exited with code 0", "exited with code 70", {"s.yaml", 20, 5}, {26});
  auto log = check("log", "a\nb", "c\n    | d", {"s.yaml", 21, 5}, {});
  s.others = {{exit, 30, 0, true}, {log, 31, 0, false}};
  s.window = {"+0.734s  #26  [shop]  pid 3 exited with code 70"};
  s.window_from = s.window_to = 26;
  s.journal_events = 40;
  s.window_left_out = 1;
  s.tails = {{"shop", 7, {25}, {"stderr"}, {"bye"}}};
  s.tails_to = 31;
  s.tally.planned = true;
  s.tally.expectations = 2;
  s.tally.failed = 2;
  return s;
}

}  // namespace

TEST_CASE("the sections of a story, in the console's order") {
  auto t = report::story_text(story());
  CHECK(t.cause ==
        "  first cause at +0.734s (#26): subject 'shop' exited with code 70 during step 3 'x' (s.yaml:13:5)\n"
        "    s.yaml:5:3: subject 'shop' is running\n"
        "      expected: subject 'shop' running\n"
        "      actual:   exited with code 70; last output:\n    | bye\n"
        "      events:   #26\n");
  CHECK(t.window ==
        "  timeline around it (#26–#26 of 40 events, every source; 1 resource sample left out):\n"
        "    +0.734s  #26  [shop]  pid 3 exited with code 70\n");
  CHECK(t.tails ==
        "  last output lines of each subject, up to #31:\n"
        "    shop (7 lines, the last 1):\n"
        "      #25  [stderr] bye\n");
  CHECK(t.rest ==
        "  1 later failure, likely a consequence of the first cause:\n"
        "    s.yaml:20:5: exit of subject 'shop': expected exited with code 0, got exited with code 70 (#30)\n"
        "  another failure:\n"
        "    s.yaml:21:5: log\n"
        "      expected: a\nb\n"
        "      actual:   c\n    | d\n"
        "  tally: 2 expectations: 0 passed, 2 failed\n");
}

TEST_CASE("a busy machine is said after the first cause, from kBusyPressure on, with the stretch of its timings") {
  auto s = story();
  s.cpu_pressure = 0.71;
  auto t = report::story_text(s);
  const std::string busy =
      "  machine busy: some task waited for a CPU 71% of the run's time (CPU pressure), so timings may be up to x3.4 an "
      "idle machine's: a timeout or a slow step may be the load's, not the subject's\n";
  CHECK(t.cause.size() > busy.size());
  CHECK(t.cause.substr(t.cause.size() - busy.size()) == busy);
  CHECK(t.cause.find("      events:   #26\n" + busy) != std::string::npos);
  s.cpu_pressure = 0.95;  // the stretch is capped at x10
  CHECK(report::story_text(s).cause.find("CPU 95% of the run's time (CPU pressure), so timings may be up to x10.0 ") !=
        std::string::npos);
  s.cpu_pressure = report::kBusyPressure - 0.01;  // a little contention: not worth a line
  CHECK(report::story_text(s).cause.find("machine busy") == std::string::npos);
  s.cpu_pressure.reset();  // not journaled (an older bbx, a kernel without PSI)
  CHECK(report::story_text(s).cause.find("machine busy") == std::string::npos);
}

TEST_CASE("a check block lists at most ten seqs and counts the rest") {
  auto c = check("w", "e", "a", {}, {});
  for (std::uint64_t i = 1; i <= 12; ++i) c.evidence.push_back(i);
  CHECK(report::check_block(c, "") ==
        "  w\n    expected: e\n    actual:   a\n    events:   #1 #2 #3 #4 #5 #6 #7 #8 #9 #10 (and 2 more)\n");
}

TEST_CASE("shell words: plain ones as they are, others in single quotes") {
  CHECK(report::shell_quote("tests/a-b_c.yaml") == "tests/a-b_c.yaml");
  CHECK(report::shell_quote("name[k=v]") == "'name[k=v]'");
  CHECK(report::shell_quote("it's (x+1)") == "'it'\\''s (x+1)'");
  CHECK(report::shell_quote("") == "''");
  CHECK(report::shell_quote("$HOME `x`") == "'$HOME `x`'");
}
