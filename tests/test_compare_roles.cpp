// Normalisation layer 1: values bbx allocated, learned from a journal, replaced by role.
#include <doctest/doctest.h>

#include "compare/roles.hpp"
#include "compare_test_support.hpp"

using namespace bbx::compare;
using bbx::testing::JournalWriter;

TEST_CASE("roles are learned from the journal's allocation events") {
  JournalWriter j("roles_learned");
  j.begin("s", {{"sandbox", "/runs/20261206-010203-004/s/sandbox"}, {"hostname", "build-host-7"}});
  j.add("scenario", "s", 0, "port.allocate", {{"name", "app"}, {"port", 41001}});
  j.add("fake", "upstream", 0, "fake.listen", {{"port", 41002}, {"url", "http://127.0.0.1:41002"}});
  j.add("subject", "app", 7, "process.spawn", {{"argv", {"x"}}, {"cwd", "/runs/20261206-010203-004/s/sandbox"}, {"supervisor_pid", 6}});
  j.add("subject", "app", 9, "subject.daemonized", {{"from", 7}, {"pid", 9}});
  j.add("subject", "app", 12, "process.exit", {{"code", 0}, {"main", false}, {"describe", "exited with code 0"}});
  j.add("step", "command x", 30, "command.start", {{"argv", {"x"}}});
  auto roles = Roles::learn(j.log());

  CHECK(roles.port_role(41001) == "[PORT:app]");
  CHECK(roles.port_role(41002) == "[PORT:upstream]");
  CHECK(roles.pid_role(7) == "[PID:app]");
  CHECK(roles.pid_role(9) == "[PID:app#2]");
  CHECK(roles.pid_role(12) == "[PID:app#3]");  // in ascending order, whichever exit came first
  CHECK(roles.pid_role(6) == "[PID:app/supervisor]");
  CHECK(roles.pid_role(30) == "[PID:command]");
  CHECK(roles.apply("cwd /runs/20261206-010203-004/s/sandbox/etc, dir /runs/20261206-010203-004/s/logs, "
                    "run /runs/20261206-010203-004, id 20261206-010203-004") ==
        "cwd [SANDBOX]/etc, dir [SCENARIO_DIR]/logs, run [RUN_DIR], id [RUN_ID]");
  CHECK(roles.apply("on build-host-7: http://127.0.0.1:41002/x --listen 41001") ==
        "on [HOSTNAME]: http://127.0.0.1:[PORT:upstream]/x --listen [PORT:app]");
}

TEST_CASE("a pid is replaced only after the word pid; a port wherever it stands alone") {
  Roles r;
  r.add_pid(7, "[PID:app]");
  r.add_port(41002, "upstream");
  CHECK(r.apply("fixture starting pid=7, PID 7, pid: 7, ppid=7") ==
        "fixture starting pid=[PID:app], PID [PID:app], pid: [PID:app], ppid=[PID:app]");
  CHECK(r.apply("Content-Length: 7, 7 items, v7.1, 77") == "Content-Length: 7, 7 items, v7.1, 77");
  CHECK(r.apply("port 41002, :41002/, 410021, 41002.5") == "port [PORT:upstream], :[PORT:upstream]/, 410021, 41002.5");
}

TEST_CASE("passes_over: a text is passed over exactly when no value apply replaces occurs in it") {
  Roles r;
  r.add_pid(7, "[PID:app]");
  r.add_port(41002, "upstream");
  r.add_port(80, "low");  // below 1024: never replaced in text
  r.add_path("/tmp/run/s/sandbox", "[SANDBOX]");
  r.set_host_name("build-host-7");
  // Digits alone say nothing: most numbers are neither a port nor a pid.
  for (std::string text : {"GET /api/v1/items/12345 HTTP/1.1", "Content-Length: 7, 80 items", "7", "", "/tmp/run/s/other",
                           "4100 41 002", "build-host-8", "[PORT:upstream] [SANDBOX]", "papi did"}) {
    CHECK_MESSAGE(r.passes_over(text), text);
    CHECK(r.apply(text) == text);
  }
  for (std::string text : {"127.0.0.1:41002", "pid=7", "PID 7", "at /tmp/run/s/sandbox/x", "on build-host-7", "pId", "410021"})
    CHECK_MESSAGE(!r.passes_over(text), text);
  Roles none;
  CHECK(none.passes_over("pid=7 127.0.0.1:41002"));
}

TEST_CASE("two ports of one name get distinct roles") {
  Roles r;
  r.add_port(41000, "app");
  r.add_port(41001, "app");
  CHECK(r.port_role(41000) == "[PORT:app]");
  CHECK(r.port_role(41001) == "[PORT:app#2]");
}

TEST_CASE("role replacement is idempotent") {
  Roles r;
  r.add_pid(2, "[PID:app#2]");
  r.add_pid(5, "[PID:app]");
  r.add_port(41002, "up41002");
  r.add_path("/tmp/run/s/sandbox", "[SANDBOX]");
  r.set_host_name("vm");  // too short to replace safely
  for (std::string text : {"pid=5 pid=2 /tmp/run/s/sandbox/x 127.0.0.1:41002", "[PID:app#2] [PORT:up41002] [SANDBOX]",
                           "vm pid 2"}) {
    auto once = r.apply(text);
    CHECK(r.apply(once) == once);
  }
}

// Found by fuzz/fuzz_compare_normalise.cpp (fuzz/regressions/compare_normalise/layers-*): a
// number or the host name right after a replaced path (or a token) stood on its own the
// second time (after ']'), where the first time it followed the path's last character.
TEST_CASE("role replacement is idempotent next to tokens: what a path was glued to stays glued") {
  Roles r;
  r.add_path("20261206-120000-abcd", "[RUN_ID]");
  r.add_port(41234, "upstream");
  r.add_pid(77, "[PID:app]");
  r.set_host_name("host1");
  CHECK(r.apply("20261206-120000-abcd41234 20261206-120000-abcdhost1") == "[RUN_ID]41234 [RUN_ID]host1");
  CHECK(r.apply("host120261206-120000-abcd") == "host1[RUN_ID]");
  CHECK(r.apply("host1 41234/20261206-120000-abcd") == "[HOSTNAME] [PORT:upstream]/[RUN_ID]");
  for (std::string text : {"20261206-120000-abcd41234", "d20261206-120000-abcd8080", "20261206-120000-abcdhost1",
                           "host120261206-120000-abcd", "[TIMESTAMP]41234", "pid [HEX_1]77"}) {
    auto once = r.apply(text);
    CHECK(r.apply(once) == once);
  }
}
