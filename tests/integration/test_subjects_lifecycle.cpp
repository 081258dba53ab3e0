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

// A run of a case file whose processes carry --var marker=<a marker unique to the run>.
struct CaseRun : ScenarioRun {
  std::string marker;
};

CaseRun run_case(const std::string& file, const std::string& isolation) {
  static int counter = 0;
  std::string marker = "lifecycle-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  return {run_scenario_file(file, fresh_dir("runs-lifecycle-" + std::to_string(counter)),
                            {"--isolation", isolation, "--var", "marker=" + marker}),
          marker};
}

// Nothing of the run is left: no marked process, no socket it listened on.
void check_nothing_left(const CaseRun& run) {
  CHECK_FALSE(marked_process_alive(run.marker));
  for (const auto& e : events_of(run.events, "socket.listen")) CHECK_FALSE(port_accepts(e.body["port"].get<int>()));
}

// Runs the case file in each isolation mode this machine can run: each run exits with
// exit_code, passes `check` and leaves nothing behind.
void in_each_isolation_mode(const std::string& file, int exit_code, const std::function<void(const CaseRun&)>& check) {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case(file, iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == exit_code);
    check(run);
    check_nothing_left(run);
  }
}

// The main process's process.exit event.
const Event* main_exit(const CaseRun& run) {
  return first_of(run.events, "process.exit", [](const Event& e) { return e.body.value("main", false); });
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
  in_each_isolation_mode("tests/cases/passing/subject_daemonize.yaml", 0, [](const CaseRun& run) {
    CHECK(count_of(run.events, "subject.daemonized") >= 1);
    CHECK(count_of(run.events, "subject.ready") == 1);
    // launcher, middle process, daemon, 2 children, 2 grandchildren: all journaled as app's
    CHECK(count_of(run.events, "process.exit", "app") == 7);
    CHECK(count_of(run.events, "process.exit", [](const Event& e) { return e.source.name != "app"; }) == 0);
  });
}

TEST_CASE("a subject ignoring SIGTERM is SIGKILLed after the grace period, and that is journaled") {
  in_each_isolation_mode("tests/cases/passing/subject_ignores_sigterm.yaml", 0, [](const CaseRun& run) {
    CHECK(count_of(run.events, "process.signal", [](const Event& e) {
            return e.body["signal"] == "SIGKILL" && e.body["reason"] == "grace period of stop expired";
          }) == 1);
    CHECK(count_of(run.events, "process.exit", [](const Event& e) {
            return e.body["main"] == true && e.body["describe"] == "killed by SIGKILL";
          }) == 1);
  });
}

TEST_CASE("children and grandchildren of a subject are its processes and are stopped with it") {
  in_each_isolation_mode("tests/cases/passing/subject_grandchildren.yaml", 0, [](const CaseRun& run) {
    CHECK(count_of(run.events, "subject.ready_check", [](const Event& e) { return e.body["kind"] == "log"; }) == 1);
    CHECK(count_of(run.events, "process.exit", "app") == 7);
  });
}

TEST_CASE("a subject exiting during startup fails at once with its status, its child is cleaned up") {
  in_each_isolation_mode("tests/cases/failing/subject_exits_during_startup.yaml", 1, [](const CaseRun& run) {
    CHECK(run.result.out.find("    tests/cases/failing/subject_exits_during_startup.yaml:7:12: readiness of subject 'app'\n"
                              "      expected: ready\n"
                              "      actual:   subject 'app' exited with code 3 before it was ready; last output:\n") !=
          std::string::npos);
    CHECK(run.result.out.find("    | exiting with code 3 after 100ms\n") != std::string::npos);
    CHECK(run.result.out.find("is running") == std::string::npos);  // reported once
  });
}

TEST_CASE("a subject that never becomes ready fails after `within` with the reason") {
  in_each_isolation_mode("tests/cases/failing/subject_never_ready_tree.yaml", 1, [](const CaseRun& run) {
    CHECK(run.result.out.find("actual:   subject 'app' not ready within 300ms: not listening on tcp port ") != std::string::npos);
    CHECK(run.result.out.find("    | delaying listen by 10000ms\n") != std::string::npos);
  });
}

TEST_CASE("a subject stopped with its own stop signal records that signal in its exit") {
  in_each_isolation_mode("tests/cases/passing/subject_stop_signal.yaml", 0, [](const CaseRun& run) {
    CHECK(count_of(run.events, "process.signal", [](const Event& e) {
            return e.body["signal"] == "SIGINT" && e.body["reason"] == "stop";
          }) == 1);
    CHECK(count_of(run.events, "process.signal") == 1);  // no SIGTERM, no SIGKILL
    const auto* exit = main_exit(run);
    REQUIRE(exit);
    CHECK(exit->body["signal"] == "SIGINT");
    CHECK(exit->body["signal_number"] == SIGINT);
    CHECK(exit->body["core_dumped"] == false);
    CHECK(exit->body["describe"] == "killed by SIGINT");
  });
}

TEST_CASE("a subject killed by SIGSEGV or SIGABRT: the signal and core flag in its exit event and the failure") {
  struct Crash {
    std::string file, sig, limit;
  };
  for (const auto& crash : {Crash{"tests/cases/failing/subject_killed_segv.yaml", "SEGV", "0"},
                            Crash{"tests/cases/failing/subject_killed_abrt_core.yaml", "ABRT", "unlimited"}}) {
    bool dumped = kernel_dumps_core(crash.sig, crash.limit, fresh_dir("core-" + crash.sig));
    CAPTURE(crash.sig);
    std::string describe = "killed by SIG" + crash.sig + (dumped ? " (core dumped)" : "");
    in_each_isolation_mode(crash.file, 1, [&](const CaseRun& run) {
      CHECK(run.result.out.find(": subject 'app' is running\n      expected: subject 'app' running\n"
                                "      actual:   " + describe + "; last output:\n    | about to crash\n") !=
            std::string::npos);
      const auto* exit = main_exit(run);
      REQUIRE(exit);
      CHECK(exit->body["signal"] == "SIG" + crash.sig);
      CHECK(exit->body["signal_number"] == (crash.sig == "SEGV" ? SIGSEGV : SIGABRT));
      CHECK(exit->body["core_dumped"] == dumped);
      CHECK(exit->body["describe"] == describe);
    });
  }
}

TEST_CASE("readiness by port counts only sockets of the subject's own processes, in both isolation modes") {
  for (const auto& iso : isolation_modes()) {
    CAPTURE(iso);
    auto run = run_case("tests/cases/failing/ready_port_of_other_subject.yaml", iso);
    INFO(run.result.out, run.result.err);
    CHECK(run.result.exit_code == 1);
    CHECK(count_of(run.events, "socket.listen", "a") == 1);
    CHECK(count_of(run.events, "socket.listen", "b") == 0);  // a's socket is not b's
    CHECK(count_of(run.events, "subject.ready", "b") == 0);
    CHECK(run.result.out.find("readiness of subject 'b'") != std::string::npos);
    CHECK(run.result.out.find("exited with code 71") != std::string::npos);
    check_nothing_left(run);
  }
}

TEST_CASE("stop mode mixed: the stop signal to the main process only, SIGKILL to the tree it leaves behind") {
  in_each_isolation_mode("tests/cases/passing/subject_stop_mixed.yaml", 0, [](const CaseRun& run) {
    auto of = [&](const std::string& subject, const std::function<bool(const Event&)>& where) {
      return count_of(run.events, "process.signal", [&](const Event& e) { return e.source.name == subject && where(e); });
    };
    // master is stopped twice (restart, end of run): SIGTERM to its main process, then SIGKILL to its children
    CHECK(of("master", [](const Event& e) { return e.body["signal"] == "SIGTERM" && e.body["to"] == "main"; }) == 2);
    CHECK(of("master", [](const Event& e) {
            return e.body["signal"] == "SIGKILL" && e.body["to"] == "tree" &&
                   e.body["reason"] == "main process exited (stop mode mixed)";
          }) == 2);
    CHECK(of("tree", [](const Event& e) { return e.body["signal"] == "SIGTERM" && e.body["to"] == "tree"; }) == 1);
    auto exits = [&](const std::string& subject, const std::string& describe) {
      return count_of(run.events, "process.exit", [&](const Event& e) {
        return e.source.name == subject && e.body["main"] == false && e.body["describe"] == describe;
      });
    };
    CHECK(exits("master", "killed by SIGKILL") == 4);  // 2 children per instance, none got the SIGTERM
    CHECK(exits("master", "killed by SIGTERM") == 0);
    CHECK(exits("tree", "killed by SIGTERM") == 1);  // mode group: the child gets the stop signal
  });
}
