// --pause-on-fail: refused without an interactive terminal or on CI; on a terminal it
// prints how to inspect the still-running scenario and waits for Enter.
#include <doctest/doctest.h>

#include <unistd.h>

#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("--pause-on-fail is refused with exit 2 when stdin is not a terminal or CI=true") {
  auto runs = fresh_dir("runs-pause-refused");
  // CI may be set where this test runs: take it away to see the terminal check alone.
  auto r = run_command({"/bin/sh", "-c", "exec env -u CI " + bbx_binary().string() + " run --pause-on-fail --runs-dir " + runs.string() +
                                              " tests/cases/failing/request_count_mismatch.yaml < /dev/null"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "bbx: --pause-on-fail needs an interactive terminal (stdin is not a terminal)\n");
  auto ci = run_command({"/usr/bin/env", "CI=true", bbx_binary().string(), "run", "--pause-on-fail", "--runs-dir",
                         runs.string(), "tests/cases/failing/request_count_mismatch.yaml"});
  CHECK(ci.exit_code == 2);
  CHECK(ci.err == "bbx: --pause-on-fail needs an interactive terminal (CI=true)\n");
}

TEST_CASE("--pause-on-fail on a terminal keeps the subject running until Enter") {
  if (::access("/usr/bin/script", X_OK) != 0) {
    MESSAGE("script(1) not installed: skipped");
    return;
  }
  auto runs = fresh_dir("runs-pause-tty");
  // script(1) gives bbx a pseudo-terminal; Enter arrives after the pause message, and the
  // subject must still be alive then (its pid is printed while paused).
  std::string marker = "pause-marker-" + std::to_string(::getpid());
  std::string cmd = bbx_binary().string() + " run --isolation none --pause-on-fail --runs-dir " + runs.string() +
                    " --var marker=" + marker + " tests/cases/failing/subject_pause.yaml";
  auto r = run_command({"/bin/sh", "-c",
                        "(sleep 1; pgrep -f '" + marker + "' > /dev/null && echo alive >&2; echo) | "
                        "env -u CI script -qec \"" + cmd + "\" /dev/null"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("== bbx paused on failure (--pause-on-fail): step 'http GET http://127.0.0.1:${ports.app}/x' "
                   "status: expected 500, got 200") != std::string::npos);
  CHECK(r.out.find("   ${ports.app} = ") != std::string::npos);
  CHECK(r.out.find("   subject app: pids [") != std::string::npos);
  CHECK(r.out.find("press Enter to tear everything down and continue") != std::string::npos);
  CHECK(r.err.find("alive") != std::string::npos);
  CHECK(r.out.find("FAIL") != std::string::npos);
  CHECK_FALSE(process_running_with(marker));
}
