// Failures that explain themselves: for each defect seeded into bbx-fixture (one flag each,
// fixtures/README.md "Seeded defects"; one scenario each in tests/cases/defects/), the
// console's first-cause line names the defect's evidence (what was sent, what the file ends
// with, which exit code during which step, ...) and the tally line is exact. The defects
// span requests, metrics, crashes, files, sockets, logs, signals and ordering.
#include <doctest/doctest.h>

#include <regex>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

struct Story {
  ScenarioRun run;
  std::string headline;  // the "  first cause ..." line, without its indent
  std::string tally;     // the "  tally: ..." line, without "  tally: "
};

// The line of `out` that starts with `prefix` (without it); "" when there is none.
std::string line_after(const std::string& out, const std::string& prefix) {
  auto at = out.find("\n" + prefix);
  if (at == std::string::npos) return "";
  at += 1 + prefix.size();
  return out.substr(at, out.find('\n', at) - at);
}

Story run_defect(const std::string& name) {
  Story s;
  s.run = run_scenario_file("tests/cases/defects/" + name + ".yaml", fresh_dir("runs-defect-" + name));
  s.headline = line_after(s.run.result.out, "  first cause ");
  s.tally = line_after(s.run.result.out, "  tally: ");
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Exit 1, one first cause that holds every piece of evidence, and exactly this tally.
void check_story(const Story& s, const std::vector<std::string>& evidence, const std::string& tally) {
  INFO(s.run.result.out, s.run.result.err);
  CHECK(s.run.result.exit_code == 1);
  auto headline = normalised(s.headline);
  for (const auto& e : evidence) CHECK_MESSAGE(has(headline, e), e);
  CHECK(s.tally == tally);
}

}  // namespace

TEST_CASE("crash: exit 70 while answering the 3rd request is the first cause, at that step; the rest are its consequences") {
  auto s = run_defect("crash_during_step");
  check_story(s,
              {"at +", "(#N): subject 'shop' exited with code 70 during step 3 'third request' "
                       "(tests/cases/defects/crash_during_step.yaml:18:5); its last line: \"fatal: giving up on request 3, "
                       "exiting with code 70\""},
              "4 expectations: 1 passed, 3 failed; 5 steps: 1–2 passed, 3 cut short, 4–5 not run");
  INFO(s.run.result.out);
  CHECK(has(s.run.result.out, "\n  3 later failures, likely consequences of the first cause:\n"));
  // The crash is journaled when it happened, as a crash, not found at the stop as its exit.
  const auto* crash = first_of(s.run.events, "assert.fail");
  REQUIRE(crash);
  CHECK(crash->body["kind"] == "crash");
  const auto* cut = first_of(s.run.events, "step.end", [](const Event& e) { return e.body.contains("cut_short"); });
  REQUIRE(cut);
  CHECK(cut->seq > crash->seq);
  // It died of its own exit: the main process's exit is code 70, never a stop signal's. (The
  // stop may still reach it while it runs its exit handlers, after it closed the connection,
  // so a SIGTERM in the journal is allowed; it changes neither the exit nor the story.)
  const auto* exit = first_of(s.run.events, "process.exit", [](const Event& e) { return e.body.value("main", false); });
  REQUIRE(exit);
  CHECK(exit->body.value("code", -1) == 70);
}

TEST_CASE("requests: a misspelled header is named beside the one expected, with every header and the body sent") {
  auto s = run_defect("request_header_misspelled");
  check_story(s,
              {"request at fake 'upstream': POST /orders header X-Request-Id: *",
               "got 0 matching; closest of 1 other request at 'upstream': POST /orders (seq N): header X-Request-Id "
               "missing (it sent X-Req-Id: 42)"},
              "2 expectations: 1 passed, 1 failed; 1 step passed");
  INFO(s.run.result.out);
  CHECK(has(s.run.result.out, "|   headers: Host: "));
  CHECK(has(s.run.result.out, ", X-Req-Id: 42"));
  CHECK(has(s.run.result.out, "|   body (11 bytes): \"{\\\"item\\\": 7}\"\n"));
}

TEST_CASE("requests: a 500 fails the step with the body it came with; the steps after it do not run") {
  auto s = run_defect("server_error");
  check_story(s,
              {"step 2 'http POST http://127.0.0.1:${ports.app}/checkout' status "
               "(tests/cases/defects/server_error.yaml:10:5): expected 200, got 500 with body \"internal error\\n\""},
              "2 expectations: 1 passed, 1 failed; 3 steps: 1 passed, 2 failed, 3 not run");
  CHECK(has(s.run.result.out, "\n  1 later failure, likely a consequence of the first cause:\n    "
                              "tests/cases/defects/server_error.yaml:15:10: log of subject 'app' (both): contains "
                              "\"request GET /orders\": expected at least 1 matching lines, got 0 matching of "));
}

TEST_CASE("metrics: the closest series shows its tags and which tag differs") {
  auto s = run_defect("metric_wrong_tag");
  check_story(s,
              {"metric at fake 'metrics': fixture.requests (counter) #env:prod",
               "closest: fixture.requests (counter, #env:dev) x1 (seq N): tag env:prod missing (it has env:dev)"},
              "2 expectations: 1 passed, 1 failed; 1 step passed");
}

TEST_CASE("metrics: a renamed counter is the closest series, with its type and the edit distance of its name") {
  auto s = run_defect("metric_misnamed");
  check_story(s, {"expected sum 2, got sum n/a over 0 samples; closest: fixture.request_count (counter) x2 (seq N): "
                  "name differs by 6 edits"},
              "1 expectation: 0 passed, 1 failed; 2 steps passed");
}

TEST_CASE("files: a checksum mismatch shows what the file holds; equals names the first differing byte") {
  auto s = run_defect("file_trailing_newline");
  check_story(s,
              {"file 'out/greeting.txt'", "got sha256 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03; it "
                                          "holds 6 bytes: \"hello\\n\""},
              "3 expectations: 1 passed, 2 failed");
  INFO(s.run.result.out);
  CHECK(has(s.run.result.out, "\n  another failure:\n    tests/cases/defects/file_trailing_newline.yaml:9:11: file "
                              "'out/greeting.txt'\n      expected: contents \"hello\"\n      actual:   contents differ "
                              "at byte 5 (line 1, column 6): expected end of file, got \"\\n\"\n"));
}

TEST_CASE("sockets: a readiness timeout says what the subject listens on instead and quotes the log file it writes") {
  auto s = run_defect("listens_on_wrong_port");
  INFO(s.run.result.out);
  std::smatch m;
  REQUIRE(std::regex_search(s.headline, m,
                            std::regex("subject 'app' not ready within 1s: not listening on tcp port ([0-9]+); it listens "
                                       "on tcp 127\\.0\\.0\\.1:([0-9]+)$")));
  CHECK(std::stoi(m[2]) == std::stoi(m[1]) + 1);
  check_story(s, {}, "2 expectations: 2 passed, 0 failed; 2 steps: 1–2 not run");
  CHECK(has(s.run.result.out, "    file it writes 'app.log' ("));
  CHECK(has(s.run.result.out, " bytes):\n    | fixture starting pid="));
  CHECK(has(s.run.result.out, "\n    | listening on 127.0.0.1:" + m[2].str() + "\n"));
}

TEST_CASE("sockets: an absent: true listening failure says it is unexpectedly listening, and where") {
  auto s = run_defect("debug_port_left_open");
  check_story(s,
              {"no listening socket of subject 'app' on tcp port 9191 "
               "(tests/cases/defects/debug_port_left_open.yaml:8:16): expected no listening socket on tcp port 9191, got "
               "unexpectedly listening on tcp 0.0.0.0:9191"},
              "2 expectations: 0 passed, 2 failed");
}

TEST_CASE("logs: every unexpected error line up to the cap, then the count of the rest") {
  auto s = run_defect("error_lines");
  check_story(s,
              {"expected no error lines other than /upstream failed/, got 14 unexpected error lines: seq N \"error: "
               "cannot reach cache at 127.0.0.1:6379 (attempt 1)\""},
              "2 expectations: 1 passed, 1 failed");
  auto out = normalised(s.run.result.out);
  CHECK(has(out, "\n    | seq N \"error: cannot reach cache at 127.0.0.1:6379 (attempt 10)\"\n    | and 4 more matching "
                 "lines\n"));
}

TEST_CASE("signals: a subject dying after a signal step names the signal and the step that sent it") {
  auto s = run_defect("crash_on_hup");
  check_story(s,
              {"subject 'app' killed by SIGSEGV", " during step 3 'sleep 2s' (tests/cases/defects/crash_on_hup.yaml:11:5), ",
               "ms after step 2 sent it SIGHUP (#N); its last line: \"reloading: config pointer is null\""},
              "2 expectations: 1 passed, 1 failed; 4 steps: 1–2 passed, 3 cut short, 4 not run");
  CHECK(s.run.seconds < 2.0);  // the crash ended the sleep at once
}

TEST_CASE("ordering: metrics sent after the reply come after the mark that followed it") {
  auto s = run_defect("late_metrics");
  check_story(s,
              {"sequence of 2 events", "expected in order: metric fixture.requests at fake 'metrics', then mark "
                                       "'answered', got matched 1 (seq N); item 2 (mark 'answered') did not follow seq N; "
                                       "it occurred only before, at seq N"},
              "2 expectations: 1 passed, 1 failed; 3 steps passed");
}

TEST_CASE("crashes: a subject that rejects its config exits before it is ready, with its last line") {
  auto s = run_defect("startup_config_error");
  check_story(s, {"subject 'app' exited with code 78 before it was ready; its last line: \"exiting with code 78\""},
              "1 expectation: 0 passed, 1 failed; 1 step: 1 not run");
}
