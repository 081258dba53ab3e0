#include <doctest/doctest.h>

#include "process/exit_status.hpp"
#include "process/subreaper_shim.hpp"

using bbx::process::parse_shim_report;

TEST_CASE("shim report lines parse into spawn, exit and exec failure") {
  auto s = parse_shim_report("S 42");
  REQUIRE(s);
  CHECK(s->kind == 'S');
  CHECK(s->pid == 42);

  auto e = parse_shim_report("E 43 2 9");  // CLD_KILLED, SIGKILL
  REQUIRE(e);
  CHECK(e->pid == 43);
  CHECK(bbx::process::ExitStatus::from_siginfo(e->info).describe() == "killed by SIGKILL");
  auto ok = parse_shim_report("E 44 1 3");  // CLD_EXITED, code 3
  REQUIRE(ok);
  CHECK(bbx::process::ExitStatus::from_siginfo(ok->info).describe() == "exited with code 3");

  auto x = parse_shim_report("X 2");
  REQUIRE(x);
  CHECK(x->error == 2);
}

TEST_CASE("malformed shim report lines are rejected") {
  CHECK_FALSE(parse_shim_report(""));
  CHECK_FALSE(parse_shim_report("S"));
  CHECK_FALSE(parse_shim_report("S -1"));
  CHECK_FALSE(parse_shim_report("E 5 1"));
  CHECK_FALSE(parse_shim_report("Q 1"));
}

TEST_CASE("an exit report says whether processes of the tree were left") {
  auto left = parse_shim_report("E 10 1 0 1");
  REQUIRE(left);
  CHECK(left->tree_left);
  auto alone = parse_shim_report("E 10 1 0 0");
  REQUIRE(alone);
  CHECK_FALSE(alone->tree_left);
}

TEST_CASE("an exit report carries the reaped process's context switches (absent in older lines: 0)") {
  auto e = parse_shim_report("E 10 1 0 0 201 3");
  REQUIRE(e);
  CHECK(e->ctx_voluntary == 201u);
  CHECK(e->ctx_involuntary == 3u);
  auto old = parse_shim_report("E 10 1 0 0");
  REQUIRE(old);
  CHECK(old->ctx_voluntary == 0u);
}

TEST_CASE("an exit report carries the reaped process's rusage: switches, CPU in microseconds, peak RSS in kB") {
  auto e = parse_shim_report("E 10 1 0 0 5 2 120000 3500 2048");
  REQUIRE(e);
  CHECK(e->ctx_voluntary == 5);
  CHECK(e->ctx_involuntary == 2);
  CHECK(e->cpu_user_us == 120000);
  CHECK(e->cpu_system_us == 3500);
  CHECK(e->max_rss_bytes == 2048u * 1024);
  auto older = parse_shim_report("E 10 1 0 0 5 2");  // a shim before the CPU fields: unknown is 0
  REQUIRE(older);
  CHECK(older->cpu_user_us == 0);
  CHECK(older->max_rss_bytes == 0);
}
