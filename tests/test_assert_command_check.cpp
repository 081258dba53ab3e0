// command: verdicts over recorded command runs.
#include <doctest/doctest.h>

#include "assert/command_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

TEST_CASE("exit code and stream matchers are all checked") {
  model::CommandExpectation spec;
  spec.exit_code.value = 3;
  spec.stderr_match = {model::TextMatch{"^oops", true, {}}};
  assertions::CommandRun run;
  run.started = true;
  run.status = "exited with code 3";
  run.exit_code = 3;
  run.err = "oops: no";
  run.exit_seq = 9;
  auto r = assertions::judge_command(spec, "sh -c x", run, here());
  CHECK(r.passed);
  CHECK(r.what == "command 'sh -c x'");
  CHECK(r.expected == "exited with code 3, stderr matches /^oops/");
  CHECK(r.actual == "exited with code 3, stderr \"oops: no\"");
  CHECK(r.evidence == std::vector<std::uint64_t>{9});
  run.err = "fine";
  CHECK_FALSE(assertions::judge_command(spec, "sh -c x", run, here()).passed);
}

TEST_CASE("a signal or a start failure fails with the reason") {
  model::CommandExpectation spec;
  assertions::CommandRun run;
  run.started = true;
  run.status = "killed by SIGKILL";
  auto r = assertions::judge_command(spec, "sleep 5", run, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "killed by SIGKILL");
  run.error = "timed out after 100ms";
  CHECK(assertions::judge_command(spec, "sleep 5", run, here()).actual == "timed out after 100ms");
}

TEST_CASE("a list of texts: each must be in the output") {
  model::CommandExpectation spec;
  spec.stdout_match = {model::TextMatch{"alpha", false, {}}, model::TextMatch{"gamma", false, {}}};
  assertions::CommandRun run;
  run.started = true;
  run.status = "exited with code 0";
  run.exit_code = 0;
  run.out = "alpha\nbeta\n";
  auto r = assertions::judge_command(spec, "sh -c x", run, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exited with code 0, stdout contains \"alpha\" and contains \"gamma\"");
  run.out = "gamma alpha";
  CHECK(assertions::judge_command(spec, "sh -c x", run, here()).passed);
}
