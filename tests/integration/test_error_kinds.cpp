// A valid scenario that cannot be carried out as written fails (exit 1) with the reason at
// the step or check that needed it; it is not a harness error (exit 3), and bbx goes on
// with the scenarios after it.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("a subject whose command does not exist fails the scenario, not the harness") {
  auto run = run_scenario_yaml(fresh_dir("err-kind-command"), R"(name: missing command
subjects:
  app:
    command: [no-such-program-anywhere]
    ready: none
)");
  CHECK(run.result.exit_code == 1);
  CHECK(run.result.out.find("start of subject 'app'") != std::string::npos);
  CHECK(run.result.out.find("cannot start subject 'app'") != std::string::npos);
  CHECK(run.summary["scenarios"][0]["verdict"] == "failed");
}

TEST_CASE("a fake whose body_file cannot be read fails the scenario at that fake") {
  auto run = run_scenario_yaml(fresh_dir("err-kind-body-file"), R"(name: missing body file
fakes:
  api:
    http: {port: auto}
    routes:
      - match: {path: /x}
        respond: {body_file: nowhere.json}
)");
  CHECK(run.result.exit_code == 1);
  CHECK(run.result.out.find("start of fake 'api'") != std::string::npos);
  CHECK(run.result.out.find("cannot read body_file") != std::string::npos);
  CHECK(run.summary["scenarios"][0]["verdict"] == "failed");
  REQUIRE(!run.events.empty());
  CHECK(count_of(run.events, "assert.fail") == 1);
}

TEST_CASE("a config edit of the wrong type fails the scenario at the file") {
  auto dir = fresh_dir("err-kind-edit");
  write_file(dir / "base.json", "{\"limits\": 3}\n");
  auto run = run_scenario_yaml(dir, R"(name: bad edit
files:
  - path: conf/app.json
    copy: base.json
    edits:
      - {set: limits.max, value: 3}
)");
  CHECK(run.result.exit_code == 1);
  CHECK(run.result.out.find("sandbox file 'conf/app.json'") != std::string::npos);
  CHECK(run.result.out.find("the parent is not an object") != std::string::npos);
}
