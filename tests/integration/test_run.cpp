// `bbx run` end to end: passing, failing and malformed scenarios, the run directory and
// the journal it leaves.
#include <doctest/doctest.h>

#include <fstream>

#include "harness.hpp"
#include "read_journal.hpp"

using namespace bbx::testing;

namespace {

std::filesystem::path runs_dir(const std::string& name) { return fresh_dir("runs-" + name); }

}  // namespace

TEST_CASE("a passing scenario exits 0 and leaves summary, journal and latest link") {
  auto runs = runs_dir("pass");
  auto run = run_scenario_file("scenarios/proxy_forwards.yaml", runs);
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  CHECK(run.result.out.find("PASS  proxy forwards to upstream") != std::string::npos);
  CHECK(run.result.out.find("1 scenario: 1 passed, 0 failed") != std::string::npos);
  auto latest = runs / "latest";
  REQUIRE(std::filesystem::exists(latest / "summary.json"));
  CHECK(run.summary["counts"]["passed"] == 1);
  CHECK(run.summary["scenarios"][0]["verdict"] == "passed");
  auto contents = read_journal(latest / "proxy_forwards_to_upstream" / "events.jsonl");
  CHECK_FALSE(contents.truncated_tail);
  for (std::size_t i = 0; i < contents.events.size(); ++i) CHECK(contents.events[i].seq == i + 1);
  for (const char* t : {"process.spawn", "output.line", "http.request", "http.response", "step.begin", "step.end",
                        "assert.pass", "process.exit", "scenario.end"})
    CHECK_MESSAGE(count_of(contents.events, t) > 0, t);
  CHECK_FALSE(std::filesystem::exists(latest / "proxy_forwards_to_upstream" / "sandbox"));  // removed on pass
}

TEST_CASE("a failing scenario exits 1 and shows expected versus actual") {
  auto run = run_scenario_file("tests/cases/failing/request_count_mismatch.yaml", runs_dir("fail"));
  const std::string f = "    tests/cases/failing/request_count_mismatch.yaml:";
  check_console(run.result, 1, {
      "FAIL  request count mismatch",
      f + "15:14: request at fake 'upstream': GET /api/two\n"
          "      expected: exactly 1 matching\n"
          "      actual:   0 matching; closest of 1 other request at 'upstream': GET /api/one (seq N): path differs: "
          "expected /api/two, got /api/one\n"
          "    |   headers: Host: 127.0.0.1:",
      ", User-Agent: bbx-fixture\n    |   no body\n",
      "\n  another failure:\n",
      f + "16:11: exit of subject 'app'\n"
          "      expected: exited with code 3\n"
          "      actual:   exited with code 0\n",
  });
  CHECK(std::filesystem::exists(run.dir / "sandbox"));  // kept on failure
  CHECK(count_of(run.events, "assert.fail") > 0);
}

TEST_CASE("a subject that never becomes ready fails with the reason and its output") {
  auto run = run_scenario_file("tests/cases/failing/never_ready.yaml", runs_dir("ready"));
  check_console(run.result, 1, {"readiness of subject 'app'\n      expected: ready\n"
                                "      actual:   subject 'app' not ready within 300ms: not listening on tcp port 8080; "
                                "it listens on no port; last output:\n    | fixture starting pid="});
}

TEST_CASE("a subject crashing at start fails at once with its exit status") {
  auto run = run_scenario_file("tests/cases/failing/crash_on_start.yaml", runs_dir("crash"));
  check_console(run.result, 1, {"actual:   subject 'app' killed by SIGABRT", "| fatal: crashing on start"});
}

TEST_CASE("subject output is shown without ANSI escapes in every view, kept raw in the journal") {
  auto runs = runs_dir("colour");
  auto junit = runs / "out.xml";
  auto run = run_scenario_file("tests/cases/failing/subject_colour_crash.yaml", runs, {"--junit", junit.string()});
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("      actual:   exited with code 3; last output:\n    | boom\n") != std::string::npos);
  CHECK(r.out.find('\x1b') == std::string::npos);
  auto summary = read_file(runs / "latest" / "summary.json");
  CHECK(summary.find("last output:\\n    | boom") != std::string::npos);
  CHECK(summary.find("\\u001b") == std::string::npos);
  auto xml = read_file(junit);
  CHECK(xml.find("last output:\n    | boom\n") != std::string::npos);
  CHECK(xml.find("\x1b") == std::string::npos);
  CHECK(xml.find("?]0;") == std::string::npos);  // what xml_escape makes of a raw ESC
  CHECK(output_lines(run.events) == std::vector<std::string>{"\x1b]0;title\a\x1b[31mboom\x1b[0m"});
  CHECK(read_file(run.dir / "logs" / "app.stdout.log") == "\x1b]0;title\a\x1b[31mboom\x1b[0m\n");
}

TEST_CASE("every malformed scenario exits 2 with its exact path:line:col message") {
  auto dir = source_dir() / "tests/cases/malformed";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    auto rel = std::filesystem::relative(entry.path(), source_dir()).string();
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    std::string problem = rel + " has no '# expect:' first line";
    REQUIRE_MESSAGE(first.rfind("# expect: ", 0) == 0, problem);
    auto r = run_bbx({"validate", rel});
    INFO(rel, r.out, r.err);
    CHECK(r.exit_code == 2);
    // A mistake inside an included fragment is reported in that file: "# expect: tests/...".
    auto expected = first.substr(10);
    if (expected.rfind("tests/", 0) != 0) expected = rel + ":" + expected;
    CHECK(r.err == expected + "\n");
    ++files;
  }
  CHECK(files >= 40);
}

TEST_CASE("`bbx run` on a malformed scenario exits 2 with path:line:col and runs nothing") {
  auto runs = runs_dir("malformed") / "runs";  // does not exist yet
  // A valid scenario first: nothing may start before every file has loaded.
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "scenarios/proxy_forwards.yaml",
                    "tests/cases/malformed/bad_duration.yaml"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err == "tests/cases/malformed/bad_duration.yaml:6:38: subject 'app'.ready.within: invalid duration "
                 "'5 seconds' (use a number with a unit: 250ms, 2s, 1m)\n");
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(runs));
}

TEST_CASE("command-line mistakes exit 2 with a hint") {
  auto r = run_bbx({"run", "--jbos", "2"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "bbx: unknown option '--jbos'; did you mean '--jobs'?\n");
  r = run_bbx({"frobnicate"});
  CHECK(r.exit_code == 2);
  r = run_bbx({"run", "--isolation", "docker", "scenarios"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "bbx: --isolation: expected auto, namespaces or none, got 'docker'\n");
}

TEST_CASE("help documents every command") {
  auto r = run_bbx({"help"});
  CHECK(r.exit_code == 0);
  for (const char* c : {"run", "validate", "list"}) CHECK(r.out.find(std::string("  ") + c) != std::string::npos);
  r = run_bbx({"run", "--help"});
  CHECK(r.out.find("--isolation MODE") != std::string::npos);
  CHECK(r.out.find("see the Isolation section of README.md") != std::string::npos);
  CHECK(read_file(source_dir() / "README.md").find("\n## Isolation\n") != std::string::npos);
}

TEST_CASE("`bbx help COMMAND` is that command's --help; an unknown COMMAND exits 2 naming the commands") {
  auto r = run_bbx({"help", "list"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == run_bbx({"list", "--help"}).out);
  CHECK(r.out.rfind("usage: bbx list [options] [PATH...]\n", 0) == 0);
  r = run_bbx({"help", "frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "bbx: unknown command 'frobnicate' (commands: run, validate, list, timeline, merge, diff, profile, help, version)\n");
}
