// Spawn options (shell, stdin file, umask, rlimits), output escaping and readiness kinds,
// end to end through `bbx run`.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// Is process pid alive (not a zombie) with needle in its command line? For runs in
// `--isolation none`, whose journals name host pids: scoped to one run, where a search of
// every process also sees the same scenario run by a test suite beside this one.
bool pid_running_with(int pid, const std::string& needle) {
  std::string cmdline = read_file("/proc/" + std::to_string(pid) + "/cmdline");
  std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
  std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  return !cmdline.empty() && stat.find(") Z ") == std::string::npos && cmdline.find(needle) != std::string::npos;
}

// Live (not zombie) processes with needle in their command line.
std::set<int> pids_running_with(const std::string& needle) {
  std::set<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const auto name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) continue;
    if (pid_running_with(std::stoi(name), needle)) out.insert(std::stoi(name));
  }
  return out;
}

ScenarioRun run_case(const std::string& file, const std::string& tag) {
  return run_scenario_file(file, fresh_dir("runs-options-" + tag), {"--isolation", "none"});
}

}  // namespace

TEST_CASE("shell, stdin file, umask and rlimits reach the subject; invalid UTF-8 is escaped, ANSI kept") {
  auto run = run_case("tests/cases/passing/subject_options.yaml", "spawn");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto lines = output_lines(run.events, "app");
  REQUIRE(lines.size() >= 5);
  CHECK(lines[0] == "bad \\xFF\\xFE \x1b[31mred\x1b[0m");
  CHECK(lines[1] == "0027");
  CHECK(lines[2] == "123");
  CHECK(lines[3] == "first stdin line");
  CHECK(lines[4] == "stdin-done");
}

TEST_CASE("a subject runs in the sandbox, in its own process group, with a clean environment plus env:") {
  ::setenv("BBX_TEST_LEAK_MARKER", "1", 1);  // bbx's own environment must not reach the subject
  auto run = run_case("tests/cases/passing/subject_env.yaml", "env");
  const auto& r = run.result;
  ::unsetenv("BBX_TEST_LEAK_MARKER");
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto lines = output_lines(run.events, "app");
  REQUIRE(lines.size() >= 2);
  std::string sandbox = lines.front();
  CHECK(sandbox.ends_with("/subject_environment/sandbox"));
  std::set<std::string> names;
  for (const auto& line : lines) {
    auto eq = line.find('=');
    if (line.starts_with("pgid=") || eq == std::string::npos) continue;
    names.insert(line.substr(0, eq));
  }
  // The shell adds PWD; everything else is bbx's clean environment and the scenario's env:.
  CHECK(names == std::set<std::string>{"HOME", "LANG", "LOG_LEVEL", "PATH", "PWD", "TZ"});
  CHECK(std::count(lines.begin(), lines.end(), "HOME=" + sandbox) == 1);
  CHECK(std::count(lines.begin(), lines.end(), "LOG_LEVEL=debug") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "TZ=UTC") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "LANG=C.UTF-8") == 1);
  auto group = lines.back();  // "pgid=N pid=N": the subject leads its own process group
  auto pgid = group.substr(5, group.find(' ') - 5);
  CHECK(group == "pgid=" + pgid + " pid=" + pgid);
}

TEST_CASE("readiness by file, http, command, port, log with require any, and ready: none") {
  auto run = run_case("tests/cases/passing/subject_ready_kinds.yaml", "kinds");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  std::multiset<std::string> met;
  std::vector<std::string> ready_order;
  for (const auto& e : run.events) {
    if (e.type == "subject.ready_check") met.insert(e.source.name + ":" + e.body["kind"].get<std::string>());
    if (e.type == "socket.listen") met.insert(e.source.name + ":" + e.body["proto"].get<std::string>());
    if (e.type == "subject.ready") ready_order.push_back(e.source.name);
  }
  CHECK(met == std::multiset<std::string>{"web:file", "web:http", "web:command", "web:tcp", "either:log", "udp:udp"});
  CHECK(ready_order.size() == 4);
  ready_order.erase(std::remove(ready_order.begin(), ready_order.end(), "udp"), ready_order.end());
  CHECK(ready_order == std::vector<std::string>{"web", "either", "batch"});
}

TEST_CASE("a readiness command runs beside the loop: it can reach the scenario's own fake") {
  auto run = run_case("tests/cases/passing/subject_ready_command_fake.yaml", "command-fake");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);  // with the loop blocked while the command ran, the fake never answered
  CHECK(count_of(run.events, "http.request", [](const Event& e) { return e.body["path"] == "/ping"; }) >= 1);
  CHECK(count_of(run.events, "subject.ready_check", [](const Event& e) { return e.body["kind"] == "command"; }) == 1);
}

TEST_CASE("a readiness command that hangs is killed after 2 s and named in the timeout") {
  // Another suite may run the same scenario beside this one: its sleeps are the ones running
  // before, or named by no journal of this run.
  const auto before = pids_running_with("sleep 31.25");
  auto run = run_case("tests/cases/failing/subject_ready_command_hangs.yaml", "command-hangs");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("actual:   subject 'app' not ready within 2500ms: command `exec sleep 31.25` did not succeed "
                   "(last: timed out after 2s)") != std::string::npos);
  // The command's sleep was SIGKILLed and is gone: no sleep new since the run began (its exit
  // is its readiness check's to read, not journaled as an unknown process's).
  CHECK(count_of(run.events, "process.exit", [](const Event& e) { return e.source.name == "unknown"; }) == 0);
  std::vector<int> left;
  for (int pid : pids_running_with("sleep 31.25"))
    if (!before.count(pid)) left.push_back(pid);
  CHECK(left.empty());
}

TEST_CASE("readiness timeout names every condition still missing") {
  auto r = run_case("tests/cases/failing/subject_ready_any_timeout.yaml", "any").result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("actual:   subject 'app' not ready within 300ms: GET http://127.0.0.1:") != std::string::npos);
  CHECK(r.out.find("/health did not return 200 (last: connect: Connection refused) and file never.txt does not exist; "
                   "last output:\n    | fixture starting pid=") != std::string::npos);
}

TEST_CASE("declared log files are tailed from their start through rotation and truncation") {
  auto run = run_case("tests/cases/passing/subject_logs.yaml", "logs");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  std::vector<std::string> seen;
  for (const auto& e : events_of(run.events, "log.line"))
    seen.push_back(e.body["path"].get<std::string>() + ":" + e.body["line"].get<std::string>() +
                   (e.body.contains("truncated") ? " (truncated)" : "") + (e.body.contains("partial") ? " (partial)" : ""));
  CHECK(seen == std::vector<std::string>{"app.log:one", "app.log:two", "app.log:three (truncated)", "extra/a.txt:x",
                                         "app.log:tail (partial)"});
}

TEST_CASE("a run-once subject may exit; its exit code is checked, not treated as a crash") {
  auto run = run_case("tests/cases/passing/subject_run_once.yaml", "once");
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(count_of(run.events, "process.signal") == 0);  // it finished within the grace period: never signaled
}

TEST_CASE("a buffering subject that prints nothing on its pipes: the readiness failure says so and names tty: true") {
  auto run = run_case("tests/cases/failing/subject_buffered_output.yaml", "buffered");
  check_console(run.result, 1,
                {"  first cause at +", "subject 'app' not ready within 1s: no output line matched /service ready/; it "
                                       "printed nothing on stdout or stderr, which are pipes: a runtime that buffers output "
                                       "to a pipe (Python, C stdio, ...) prints nothing until its buffer fills or it exits; "
                                       "give the subject `tty: true` (or make it unbuffered, e.g. PYTHONUNBUFFERED=1)\n"});
}

TEST_CASE("tty: true: the same subject prints line by line on pseudo-terminals, stdout and stderr apart") {
  auto run = run_case("tests/cases/passing/subject_tty.yaml", "tty");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 0);
  CHECK(count_of(run.events, "subject.ready") == 1);
  CHECK(count_of(run.events, "output.line", [](const Event& e) {
          return e.body["stream"] == "stdout" && e.body["line"] == "service ready";  // no \r from the terminal
        }) == 1);
}

TEST_CASE("commands the runner starts (readiness, steps, expectations) have their exits read by their starters, never "
          "journaled as an unknown process's, whoever reaps them") {
  // The supervisor's reaper waits for any child of the runner; before runtime/child_exits it
  // journaled the commands it reaped first as `process.exit` of subject 'unknown' (a readiness
  // command's, in most runs), so whether that event was there depended on a race.
  std::string yaml =
      "name: command exits\n"
      "subjects:\n"
      "  app:\n"
      "    command: [bbx-fixture, --log-line, started]\n"
      "    ready: {command: \"test -n ok\", within: 10s}\n"
      "steps:\n";
  for (int i = 0; i < 12; ++i)
    yaml += "  - command: [sh, -c, \"exit " + std::to_string(i % 3) + "\"]\n    expect: {exit: " + std::to_string(i % 3) + "}\n";
  yaml +=
      "expect:\n"
      "  - command: {run: [sh, -c, \"exit 4\"], exit: 4}\n"
      "  - command: {run: [sh, -c, \"exit 5\"], exit: 5}\n";
  for (const auto& mode : isolation_modes()) {
    CAPTURE(mode);
    auto run = run_scenario_yaml(fresh_dir("command-exits-" + mode), yaml, {"--isolation", mode});
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(count_of(run.events, "subject.ready_check", [](const Event& e) { return e.body["kind"] == "command"; }) == 1);
    CHECK(count_of(run.events, "command.exit") == 14);
    CHECK(count_of(run.events, "process.exit", [](const Event& e) { return e.source.name == "unknown"; }) == 0);
  }
}
