// Nothing a run starts may outlive it, however bbx ends.
#include <doctest/doctest.h>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "harness.hpp"
#include "read_journal.hpp"
#include "runner/isolation.hpp"

using namespace bbx::testing;

namespace {

// Starts bbx in the background on the long-running scenario, tagged with a unique marker;
// its stdout goes to `out` when given.
// `also` is a second scenario file, run after it.
pid_t start_long_run(const std::string& marker, const std::filesystem::path& runs, const std::string& isolation,
                     const std::filesystem::path& out = {}, const std::string& also = "") {
  std::vector<std::string> args{"run", "-j1", "--isolation", isolation, "--runs-dir", runs.string(),
                                "--var", "marker=" + marker, "tests/cases/passing/long_running.yaml"};
  if (!also.empty()) args.push_back(also);
  return start_bbx(args, out);
}

// The long-running scenario's journal, being written.
std::filesystem::path long_run_journal(const std::filesystem::path& runs) {
  return scenario_dir(runs, "long running") / "events.jsonl";
}

}  // namespace

TEST_CASE("SIGKILL to bbx mid-scenario leaves no subject alive (namespaces) and a readable journal") {
  if (!bbx::runner::namespaces_available()) {
    MESSAGE("namespaces not available: skipped");
    return;
  }
  std::string marker = "bbx-kill-marker-" + std::to_string(::getpid());
  auto runs = fresh_dir("runs-sigkill");
  // A second scenario: its runner is prepared (forked, isolated, waiting) meanwhile.
  pid_t bbx = start_long_run(marker, runs, "namespaces", {}, "tests/cases/passing/subject_env.yaml");
  REQUIRE(wait_until([&] { return process_running_with("--log-line " + marker); }, std::chrono::seconds(10)));
  // The marker shows first in the subject's supervisor shim; let the subject itself run.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ::kill(bbx, SIGKILL);
  wait_exit(bbx, std::chrono::seconds(20));
  CHECK(wait_until([&] { return !process_running_with("--log-line " + marker); }, std::chrono::seconds(5)));
  CHECK(wait_until([&] { return !process_running_with(runs.string()); }, std::chrono::seconds(5)));  // no runner
  auto contents = read_journal(long_run_journal(runs));  // throws if a middle line is corrupt
  CHECK(contents.events.size() >= 3);
}

namespace {

// A subject that daemonizes (double fork, new session), forks 3 children with 2 grandchildren
// each, ignores SIGTERM and listens: 10 processes, plus its supervisor shim, all marked.
std::filesystem::path daemon_tree_scenario(const std::filesystem::path& dir, const std::string& marker) {
  return write_file(dir / "tree.yaml", "name: daemon tree\n"
                                       "subjects:\n"
                                       "  app:\n"
                                       "    command: [bbx-fixture, --daemonize, --listen, '0', --spawn-children, '3',\n"
                                       "              --grandchildren, '2', --ignore-sigterm]\n"
                                       "    env: {BBX_TEST_MARKER: " + marker + "}\n"
                                       "    ready: {log: 'listening on', within: 10s}\n"
                                       "steps:\n"
                                       "  - sleep: 60s\n");
}

// The pid of a child of parent (the runner of a coordinator), 0 when there is none.
pid_t child_of(pid_t parent) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    auto name = e.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    auto stat = read_file(e.path() / "stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    int ppid = 0;
    char state = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent)
      return static_cast<pid_t>(std::stoi(name));
  }
  return 0;
}

}  // namespace

// In namespace mode the PID namespace ends with its init; in `none` mode each subject's
// supervisor shim kills its whole tree when its runner dies (bbx-supervise's death signal).
TEST_CASE("SIGKILL to bbx, or to its runner, leaves no process of a daemonizing tree alive, in every isolation mode") {
  for (const auto& isolation : isolation_modes()) {
    for (std::string victim : {"bbx", "runner"}) {
      CAPTURE(isolation);
      CAPTURE(victim);
      std::string marker = "bbx-tree-" + victim + "-" + isolation + "-" + std::to_string(::getpid());
      auto dir = fresh_dir("kill-tree-" + victim + "-" + isolation);
      auto file = daemon_tree_scenario(dir, marker);
      auto console = dir / "console.txt";
      pid_t bbx = start_bbx({"run", "--isolation", isolation, "--runs-dir", (dir / "runs").string(), file.string()},
                            console);
      // The shim, the daemon and its 9 descendants.
      REQUIRE(wait_until([&] { return marked_processes(marker) == 11; }, std::chrono::seconds(20)));
      pid_t target = victim == "bbx" ? bbx : child_of(bbx);
      REQUIRE(target > 0);
      ::kill(target, SIGKILL);
      CHECK(wait_until([&] { return marked_processes(marker) == 0; }, std::chrono::seconds(10)));
      int code = wait_exit(bbx, std::chrono::seconds(20));
      if (victim == "bbx") {
        CHECK(code == 128 + SIGKILL);
      } else {  // the coordinator reports the runner's death as a harness error, with the mode it ran in
        CHECK(code == 3);
        CHECK_MESSAGE(read_file(console).find("ERROR  daemon tree  (") != std::string::npos, read_file(console));
        CHECK_MESSAGE(read_file(console).find(", " + isolation + ")\n  runner process killed by SIGKILL\n") !=
                          std::string::npos,
                      read_file(console));
      }
    }
  }
}

TEST_CASE("SIGTERM or SIGINT to bbx stops every subject, writes results, names the signal and exits 130") {
  for (int sig : {SIGTERM, SIGINT}) {
    for (std::string isolation : {"namespaces", "none"}) {
      if (isolation == "namespaces" && !bbx::runner::namespaces_available()) continue;
      std::string name = sig == SIGINT ? "SIGINT" : "SIGTERM";
      CAPTURE(name);
      CAPTURE(isolation);
      std::string marker = "bbx-" + name + "-marker-" + isolation + std::to_string(::getpid());
      auto runs = fresh_dir("runs-" + name + "-" + isolation);
      auto out = runs.parent_path() / ("out-" + name + "-" + isolation + ".txt");
      pid_t bbx = start_long_run(marker, runs, isolation, out);
      REQUIRE(wait_until([&] { return process_running_with("--log-line " + marker); }, std::chrono::seconds(10)));
      // Interrupt the steps (`sleep: 30s`), not the readiness wait, whose failure text differs.
      REQUIRE(wait_until([&] { return journal_has(long_run_journal(runs), "step.begin"); }, std::chrono::seconds(10)));
      ::kill(bbx, sig);
      CHECK(wait_exit(bbx, std::chrono::seconds(20)) == 130);
      CHECK_FALSE(process_running_with("--log-line " + marker));
      auto text = read_file(out);
      INFO(text);
      CHECK(text.find("INTERRUPTED  long running  (") != std::string::npos);
      CHECK(text.find(", " + isolation + ")\n  interrupted (" + name + ")\n") != std::string::npos);
      CHECK(text.find("\n  journal: ") != std::string::npos);
      CHECK(text.find(sig == SIGINT ? "SIGTERM" : "SIGINT") == std::string::npos);
      CHECK(text.find("1 scenario: 0 passed, 0 failed, 1 interrupted") != std::string::npos);
      auto summary = read_summary(runs);
      CHECK(summary["interrupted"] == true);
      CHECK(summary["scenarios"][0]["verdict"] == "interrupted");
      CHECK(summary["scenarios"][0]["message"] == "interrupted (" + name + ")");
    }
  }
}

TEST_CASE("an interrupt SIGKILLs a subject that ignores SIGTERM at once, and the journal says it was the interrupt") {
  std::string isolation = isolation_modes().front();
  std::string marker = "bbx-interrupt-grace-" + std::to_string(::getpid());
  auto dir = fresh_dir("interrupt-grace");
  auto file = daemon_tree_scenario(dir, marker);
  pid_t bbx = start_bbx({"run", "--isolation", isolation, "--runs-dir", (dir / "runs").string(), file.string()},
                        dir / "console.txt");
  auto journal = scenario_dir(dir / "runs", "daemon tree") / "events.jsonl";
  REQUIRE(wait_until([&] { return journal_has(journal, "step.begin"); }, std::chrono::seconds(20)));
  ::kill(bbx, SIGINT);
  CHECK(wait_exit(bbx, std::chrono::seconds(20)) == 130);
  CHECK(wait_until([&] { return marked_processes(marker) == 0; }, std::chrono::seconds(10)));
  auto events = read_journal(journal).events;
  const auto* kill = first_of(events, "process.signal", [](const Event& e) { return e.body["signal"] == "SIGKILL"; });
  REQUIRE(kill);
  CHECK(kill->body["reason"] == "interrupted (SIGINT)");
  CHECK_FALSE(kill->body.contains("grace"));
}

// At -j1 the coordinator prepares the next scenario's runner while one runs (runner_launch.hpp):
// an interrupt discards it, unstarted, and it is gone when bbx exits.
TEST_CASE("an interrupt reports later scenarios as not started and leaves no prepared runner") {
  std::string isolation = bbx::runner::namespaces_available() ? "namespaces" : "none";
  std::string marker = "bbx-prepared-marker-" + std::to_string(::getpid());
  auto runs = fresh_dir("runs-prepared-runner");
  auto out = runs.parent_path() / "out-prepared-runner.txt";
  pid_t bbx = start_long_run(marker, runs, isolation, out, "tests/cases/passing/subject_env.yaml");
  REQUIRE(wait_until([&] { return journal_has(long_run_journal(runs), "step.begin"); }, std::chrono::seconds(10)));
  CHECK(process_running_with(runs.string()));  // the running runner, and the one prepared
  ::kill(bbx, SIGINT);
  CHECK(wait_exit(bbx, std::chrono::seconds(20)) == 130);
  CHECK_FALSE(process_running_with(runs.string()));
  CHECK_FALSE(process_running_with("--log-line " + marker));
  auto text = read_file(out);
  INFO(text);
  CHECK(text.find("2 scenarios: 0 passed, 0 failed, 2 interrupted") != std::string::npos);
  auto summary = read_summary(runs);
  CHECK(summary["scenarios"][1]["verdict"] == "interrupted");
  CHECK(summary["scenarios"][1]["message"] == "not started: the run was interrupted (SIGINT)");
  CHECK_FALSE(std::filesystem::exists(scenario_dir(runs, "subject environment")));
}
