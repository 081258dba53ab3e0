// Subjects that misbehave (double fork, ignore SIGTERM, grandchildren, exit during startup,
// never ready, crash by a signal) or stop by their own stop signal get the right verdict,
// message and process.exit event, in both isolation modes, and afterwards no process of the
// run exists and no socket of it listens.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "harness.hpp"
#include "read_journal.hpp"

using namespace bbx::testing;

namespace {

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
      run.events = bbx::testing::read_journal(entry.path() / "events.jsonl").events;
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

// The main process's process.exit event.
const bbx::Event* main_exit(const CaseRun& run) {
  for (const auto& e : run.events)
    if (e.type == "process.exit" && e.body.value("main", false)) return &e;
  return nullptr;
}

// Does the kernel report CLD_DUMPED (ExitStatus::core_dumped) for `sh` killing itself with
// `sig` under `ulimit -c limit` in dir? It depends on the machine's core_pattern (a pipe
// dumps even at limit 0), so the crash tests compare with this.
bool kernel_dumps_core(const std::string& sig, const std::string& limit, const std::filesystem::path& dir) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(126);
    ::execl("/bin/sh", "sh", "-c", ("ulimit -c " + limit + "; kill -" + sig + " $$").c_str(), (char*)nullptr);
    ::_exit(127);
  }
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED) != 0) return false;
  return info.si_code == CLD_DUMPED;
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

TEST_CASE("a subject stopped with its own stop signal records that signal in its exit") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/passing/subject_stop_signal.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 0);
    CHECK(count(run, "process.signal", [](const bbx::Event& e) {
            return e.body["signal"] == "SIGINT" && e.body["reason"] == "stop";
          }) == 1);
    CHECK(count(run, "process.signal") == 1);  // no SIGTERM, no SIGKILL
    const auto* exit = main_exit(run);
    REQUIRE(exit);
    CHECK(exit->body["signal"] == "SIGINT");
    CHECK(exit->body["signal_number"] == SIGINT);
    CHECK(exit->body["core_dumped"] == false);
    CHECK(exit->body["describe"] == "killed by SIGINT");
    check_nothing_left(run);
  }
}

TEST_CASE("a subject killed by SIGSEGV or SIGABRT: the signal and core flag in its exit event and the failure") {
  struct Crash {
    std::string file, sig, limit;
  };
  for (const auto& crash : {Crash{"tests/cases/failing/subject_killed_segv.yaml", "SEGV", "0"},
                            Crash{"tests/cases/failing/subject_killed_abrt_core.yaml", "ABRT", "unlimited"}}) {
    bool dumped = kernel_dumps_core(crash.sig, crash.limit, fresh_dir("core-" + crash.sig));
    for (const auto& iso : isolation_modes()) {
      CAPTURE(crash.sig);
      CAPTURE(iso);
      auto run = run_case(crash.file, iso);
      INFO(run.result.out, run.result.err);
      CHECK(run.result.exit_code == 1);
      std::string describe = "killed by SIG" + crash.sig + (dumped ? " (core dumped)" : "");
      CHECK(run.result.out.find("    subject 'app' is running\n      expected: subject 'app' running\n"
                                "      actual:   " + describe + "; last output:\n    | about to crash\n") !=
            std::string::npos);
      const auto* exit = main_exit(run);
      REQUIRE(exit);
      CHECK(exit->body["signal"] == "SIG" + crash.sig);
      CHECK(exit->body["signal_number"] == (crash.sig == "SEGV" ? SIGSEGV : SIGABRT));
      CHECK(exit->body["core_dumped"] == dumped);
      CHECK(exit->body["describe"] == describe);
      check_nothing_left(run);
    }
  }
}
