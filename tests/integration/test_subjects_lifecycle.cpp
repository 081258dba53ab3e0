// Subjects that misbehave (double fork, ignore SIGTERM, grandchildren, exit during startup,
// never ready) get the right verdict and message, in both isolation modes, and afterwards
// no process of the run exists and no socket of it listens.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "harness.hpp"
#include "journal/journal_reader.hpp"
#include "runner/isolation.hpp"

using namespace bbx::testing;

namespace {

std::vector<std::string> isolation_modes() {
  std::vector<std::string> modes{"none"};
  if (bbx::runner::namespaces_available()) modes.insert(modes.begin(), "namespaces");
  return modes;
}

// Any live process whose environment holds BBX_TEST_MARKER=marker (forks keep it, exec'd
// or renamed children included)?
bool marked_process_alive(const std::string& marker) {
  std::string needle = "BBX_TEST_MARKER=" + marker;
  DIR* dir = ::opendir("/proc");
  bool found = false;
  while (dirent* e = dir ? ::readdir(dir) : nullptr) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    if (stat.find(") Z ") != std::string::npos) continue;
    std::string env = read_file(std::string("/proc/") + e->d_name + "/environ");
    for (auto& c : env)
      if (c == '\0') c = '\n';
    if ((env + "\n").find(needle + "\n") != std::string::npos) found = true;
  }
  if (dir) ::closedir(dir);
  return found;
}

bool port_accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

struct CaseRun {
  CommandResult result;
  std::vector<bbx::Event> events;
  std::string marker;
};

CaseRun run_case(const std::string& file, const std::string& isolation) {
  static int counter = 0;
  CaseRun run;
  run.marker = "lifecycle-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  auto runs = fresh_dir("runs-lifecycle-" + std::to_string(counter));
  run.result = run_bbx({"run", "--isolation", isolation, "--runs-dir", runs.string(), "--var", "marker=" + run.marker, file});
  for (const auto& entry : std::filesystem::directory_iterator(runs / "latest"))
    if (std::filesystem::exists(entry.path() / "events.jsonl"))
      run.events = bbx::journal::read_journal(entry.path() / "events.jsonl").events;
  return run;
}

// Nothing of the run is left: no marked process, no socket it listened on.
void check_nothing_left(const CaseRun& run) {
  CHECK_FALSE(marked_process_alive(run.marker));
  for (const auto& e : run.events)
    if (e.type == "socket.listen") CHECK_FALSE(port_accepts(e.body["port"].get<int>()));
}

std::size_t count(const CaseRun& run, const std::string& type, const std::function<bool(const bbx::Event&)>& pred = {}) {
  std::size_t n = 0;
  for (const auto& e : run.events) n += e.type == type && (!pred || pred(e));
  return n;
}

}  // namespace

TEST_CASE("a double-forking subject is tracked: its daemon is the subject, nothing is 'unknown'") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/passing/subject_daemonize.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(count(run, "subject.daemonized") >= 1);
    CHECK(count(run, "subject.ready") == 1);
    // launcher, middle process, daemon, 2 children, 2 grandchildren: all journaled as app's
    CHECK(count(run, "process.exit", [](const bbx::Event& e) { return e.source.name == "app"; }) == 7);
    CHECK(count(run, "process.exit", [](const bbx::Event& e) { return e.source.name != "app"; }) == 0);
    check_nothing_left(run);
  }
}

TEST_CASE("a subject ignoring SIGTERM is SIGKILLed after the grace period, and that is journaled") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/passing/subject_ignores_sigterm.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(count(run, "process.signal", [](const bbx::Event& e) {
            return e.body["signal"] == "SIGKILL" && e.body["reason"] == "grace period of stop expired";
          }) == 1);
    CHECK(count(run, "process.exit", [](const bbx::Event& e) {
            return e.body["main"] == true && e.body["describe"] == "killed by SIGKILL";
          }) == 1);
    check_nothing_left(run);
  }
}

TEST_CASE("children and grandchildren of a subject are its processes and are stopped with it") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/passing/subject_grandchildren.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(count(run, "subject.ready_check", [](const bbx::Event& e) { return e.body["kind"] == "log"; }) == 1);
    CHECK(count(run, "process.exit", [](const bbx::Event& e) { return e.source.name == "app"; }) == 7);
    check_nothing_left(run);
  }
}

TEST_CASE("a subject exiting during startup fails at once with its status, its child is cleaned up") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/failing/subject_exits_during_startup.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 1);
    CHECK(run.result.out.find("    tests/cases/failing/subject_exits_during_startup.yaml:7:12: readiness of subject 'app'\n"
                              "      expected: ready\n"
                              "      actual:   subject 'app' exited with code 3 before it was ready; last output:\n") !=
          std::string::npos);
    CHECK(run.result.out.find("    | exiting with code 3 after 100ms\n") != std::string::npos);
    CHECK(run.result.out.find("is running") == std::string::npos);  // reported once
    check_nothing_left(run);
  }
}

TEST_CASE("a subject that never becomes ready fails after `within` with the reason") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/failing/subject_never_ready_tree.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 1);
    CHECK(run.result.out.find("actual:   subject 'app' not ready within 300ms: not listening on tcp port ") != std::string::npos);
    CHECK(run.result.out.find("    | delaying listen by 10000ms\n") != std::string::npos);
    check_nothing_left(run);
  }
}
