// The scenario language end to end through `bbx`: matrix expansion and per-variant
// expectations, sandbox files with config edits, includes, the lifecycle/wait/command/mark
// steps, http steps' header checks, and list/validate/run with --filter/--tag on expanded
// variants.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kMatrix = "scenarios/config_statsd_validation.yaml";

}  // namespace

TEST_CASE("a matrix scenario expands into variants that each pass with their own expectation") {
  auto runs = fresh_dir("runs-matrix");
  auto r = run_bbx({"run", "--runs-dir", runs.string(), kMatrix});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* v : {"missing", "empty", "text", "number", "out_of_range"})
    CHECK(r.out.find(std::string("PASS  config statsd validation[statsd=") + v + "]") != std::string::npos);
  CHECK(r.out.find("5 scenarios: 5 passed, 0 failed") != std::string::npos);
}

TEST_CASE("a variant whose expectation does not match fails with expected and actual") {
  auto dir = fresh_dir("matrix-wrong");
  auto text = read_file(source_dir() / kMatrix);
  auto at = text.find("must be a string");
  REQUIRE(at != std::string::npos);
  text.replace(at, 16, "must be a number");
  auto run = run_scenario_file(write_file(dir / "wrong.yaml", text), dir / "runs", {"--filter", "number"});
  check_console(run.result, 1, {"      expected: \"error: config: statsd: must be a number\\n\"\n"
                                "      actual:   \"error: config: statsd: must be a string\\n\"\n"});
}

TEST_CASE("list shows expanded ids and tags; --filter and --tag select variants") {
  auto r = run_bbx({"list", "scenarios"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("config statsd validation[statsd=out_of_range]  [config, matrix]  " + std::string(kMatrix)) !=
        std::string::npos);
  CHECK(r.out.find("shared/upstream.inc.yaml") == std::string::npos);  // fragments are not scenarios
  r = run_bbx({"list", "--filter", "statsd=(empty|text)\\]", "scenarios"});
  CHECK(r.out == "config statsd validation[statsd=empty]  [config, matrix]  " + std::string(kMatrix) + "\n" +
                     "config statsd validation[statsd=text]  [config, matrix]  " + std::string(kMatrix) + "\n");
  r = run_bbx({"validate", "--tag", "matrix", "scenarios"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "5 scenarios valid\n");
  r = run_bbx({"list", "--tag", "lifecycle", "scenarios"});
  CHECK(r.out == "lifecycle and files  [lifecycle, files]  scenarios/lifecycle_and_files.yaml\n");
}

TEST_CASE("files, includes, restart, waits, commands and marks run and are journaled") {
  auto run = run_scenario_file("scenarios/lifecycle_and_files.yaml", fresh_dir("runs-lifecycle"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  CHECK(count_of(run.events, "file.write") == 4);  // three files: + one file step
  CHECK(count_of(run.events, "mark") == 2);
  CHECK(count_of(run.events, "command.exit") == 4);
  CHECK(count_of(run.events, "wait.done") == 3);
  CHECK(count_of(run.events, "process.spawn", "app") == 3);  // start, restart, start
  CHECK(count_of(run.events, "http.request", "upstream") >= 2);  // the include's fake served
}

TEST_CASE("a command step reports its output mismatch at the step") {
  auto run = run_scenario_file("tests/cases/failing/command_mismatch.yaml", fresh_dir("runs-cmd"));
  check_console(run.result, 1, {"    tests/cases/failing/command_mismatch.yaml:6:5: step 'command cat' stdout\n"
                                "      expected: \"hello world\\n\"\n"
                                "      actual:   \"hello command mismatch\\n\"\n"});
}

TEST_CASE("--var overrides scenario and included vars everywhere templates appear") {
  auto dir = fresh_dir("var-override");
  auto file = write_file(dir / "v.yaml",
                         "name: var override\nvars: {greeting: hi}\n"
                         "files:\n  - {path: out.txt, content: \"${greeting}\"}\n"
                         "steps:\n  - command: [cat, out.txt]\n    expect: {stdout: bye}\n");
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--var", "greeting=bye", file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), file.string()});
  CHECK(r.exit_code == 1);
}

TEST_CASE("${sandbox} is the sandbox's absolute path, also under a relative --runs-dir") {
  // Subjects and commands run inside the sandbox: a relative ${sandbox} pointed nowhere from
  // there (nginx -p ${sandbox}/, collectd's BaseDir failed under the default sandbox/runs).
  auto dir = fresh_dir("sandbox-var");
  auto file = write_file(dir / "s.yaml",
                         "name: sandbox var\n"
                         "files:\n  - {path: here.txt, content: x}\n"
                         "subjects:\n  app:\n    shell: 'test -f \"${sandbox}/here.txt\" && echo found; sleep 30'\n"
                         "    ready: {log: found}\n"
                         "steps:\n  - command: [sh, -c, 'case \"${sandbox}\" in /*) test \"$PWD\" -ef \"${sandbox}\";; *) exit 1;; esac']\n");
  auto relative_runs = std::filesystem::relative(dir / "runs", source_dir());
  REQUIRE(relative_runs.is_relative());
  auto r = run_bbx({"run", "--runs-dir", relative_runs.string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("a parameterised include: its vars override the fragment's, and when: selects fragments per variant") {
  auto dir = fresh_dir("include-params");
  write_file(dir / "f.inc.yaml", "vars: {a: \"1\"}\n");
  write_file(dir / "g.inc.yaml", "fakes: {extra: {http: {}}}\n");
  auto file = write_file(dir / "t.yaml",
                         "name: t\nmatrix: {m: [x, y]}\ninclude:\n  - path: f.inc.yaml\n    vars: {a: \"2\"}\n"
                         "  - {path: g.inc.yaml, when: {m: y}}\n"
                         "steps:\n  - command: [echo, \"${a}\"]\n    expect: {stdout: \"2\\n\"}\n"
                         "  - command: [echo, \"${fakes.extra.port}\"]\n    when: {m: y}\n");
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("2 scenarios: 2 passed") != std::string::npos);
  // In variant x the fragment defining 'extra' is not included, so the reference is unknown.
  write_file(dir / "t.yaml", read_file(file) + "  - command: [echo, \"${fakes.extra.port}\"]\n");
  r = run_bbx({"validate", file.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == file.string() + ":12:21: unknown variable '${fakes.extra.port}'\n");
}

TEST_CASE("a fragment's steps run before the scenario's own, and its expectations are checked at their lines") {
  auto dir = fresh_dir("include-steps");
  auto fragment = write_file(dir / "base.inc.yaml",
                             "steps:\n  - command: [sh, -c, \"echo base >> order\"]\n"
                             "expect:\n  - command: {run: [cat, order], stdout: {matches: \"^base\\nown\\n$\"}}\n"
                             "  - command: {run: [test, -e, \"${marker}\"]}\n");
  auto file = write_file(dir / "t.yaml",
                         "name: t\nvars: {marker: order}\ninclude: base.inc.yaml\n"
                         "steps:\n  - command: [sh, -c, \"echo own >> order\"]\n"
                         "expect:\n  - command: {run: [grep, -c, own, order], stdout: {contains: \"1\"}}\n");
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  // The variant changes one variable; the fragment's expectation fails, located in the fragment.
  write_file(dir / "t.yaml", "name: t\nvars: {marker: nowhere}\ninclude: base.inc.yaml\n");
  r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find(fragment.string() + ":5:14: command 'test -e ${marker}'\n      expected: exited with code 0\n"
                   "      actual:   exited with code 1\n") != std::string::npos);
  CHECK(r.out.find(fragment.string() + ":4:14: command 'cat order'") != std::string::npos);  // base only: no "own"
}

TEST_CASE("an http step checks response headers: exact, contains/matches, absent") {
  auto pass = run_scenario_file("tests/cases/passing/step_http_headers.yaml", fresh_dir("runs-headers"));
  check_console(pass.result, 0, {});
  auto r = run_scenario_file("tests/cases/failing/step_http_headers.yaml", fresh_dir("runs-headers-fail")).result;
  const std::string f = "    tests/cases/failing/step_http_headers.yaml:";
  const std::string received = "; headers received:\n    | Server: bbx-fake\n    | Cache-Control: no-store\n"
                               "    | Content-Type: text/plain\n    | Content-Length: 2\n";
  check_console(r, 1, {
      f + "12:23: step 'http GET ${fakes.api.url}/x' header Content-Type\n"
          "      expected: \"application/json\"\n"
          "      actual:   \"text/plain\"" + received,
      f + "13:23: step 'http GET ${fakes.api.url}/x' header X-Request-Id\n"
          "      expected: contains \"req-\"\n"
          "      actual:   missing" + received,
      f + "14:24: step 'http GET ${fakes.api.url}/x' header cache-control\n"
          "      expected: absent\n"
          "      actual:   \"no-store\"" + received,
  });
  INFO(r.out);
  CHECK(r.out.find("header Content-Length\n      expected") == std::string::npos);  // it held
}

TEST_CASE("run --tag runs exactly the scenarios (and all their variants) carrying any of the tags") {
  auto dir = fresh_dir("run-tag");
  auto scenarios = dir / "s";
  const std::string step = "steps: [{command: [\"true\"]}]\n";
  write_file(scenarios / "a.yaml", "name: a\ntags: [smoke]\n" + step);
  write_file(scenarios / "b.yaml", "name: b\ntags: [slow]\n" + step);
  write_file(scenarios / "c.yaml", "name: c\n" + step);
  write_file(scenarios / "m.yaml", "name: m\ntags: [matrix, smoke]\nmatrix: {k: [x, y]}\n" + step);
  auto ran = [&](const std::vector<std::string>& tags, const std::string& runs) {
    std::vector<std::string> args = {"run", "--runs-dir", (dir / runs).string()};
    for (const auto& t : tags) args.insert(args.end(), {"--tag", t});
    args.push_back(scenarios.string());
    return run_bbx(args);
  };
  auto r = ran({"smoke"}, "runs1");
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto ran_id = [&](const std::string& id) { return r.out.find("PASS  " + id + "  (") != std::string::npos; };
  for (const char* id : {"a", "m[k=x]", "m[k=y]"}) CHECK(ran_id(id));
  for (const char* id : {"b", "c"}) CHECK_FALSE(ran_id(id));
  CHECK(r.out.find("3 scenarios: 3 passed, 0 failed") != std::string::npos);
  r = ran({"smoke", "slow"}, "runs2");  // any of the tags
  CHECK(ran_id("b"));
  CHECK(r.out.find("4 scenarios: 4 passed, 0 failed") != std::string::npos);
  // A tag nothing carries (tags are exact and case-sensitive) is invalid input: exit 2, nothing runs.
  for (const char* none : {"nothing", "Smoke"}) {
    r = ran({none}, "runs-none");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err == "bbx: no scenario matches: 5 scenarios in " + scenarios.string() +
                       ", none selected by --filter/--id/--tag\n");
    CHECK_FALSE(std::filesystem::exists(dir / "runs-none"));
  }
  // validate and list say the same, with the same exit code; so does a directory without scenarios.
  for (const char* command : {"validate", "list", "run"}) {
    auto v = run_bbx({command, "--tag", "nothing", scenarios.string()});
    CHECK(v.exit_code == 2);
    CHECK(v.err == "bbx: no scenario matches: 5 scenarios in " + scenarios.string() +
                       ", none selected by --filter/--id/--tag\n");
    auto empty = fresh_dir("run-tag-empty");
    std::vector<std::string> args = {command, empty.string()};
    if (std::string(command) == "run") args = {command, "--runs-dir", (empty / "runs").string(), empty.string()};
    v = run_bbx(args);
    CHECK(v.exit_code == 2);
    CHECK(v.err == "bbx: no scenario matches: no scenario file (*.yaml, *.yml) in " + empty.string() + "\n");
  }
}

TEST_CASE("a mistake inside a template file is reported at its own line and column in that file") {
  auto dir = fresh_dir("template-location");
  auto tmpl = write_file(dir / "app.ini.tmpl", "[server]\nport = ${ports.app}\nname = x ${nope.x}\nend = ${oops\n");
  auto file = write_file(dir / "t.yaml", "name: t\nfiles:\n  - {path: app.ini, template: app.ini.tmpl}\n");
  auto r = run_bbx({"validate", file.string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err == tmpl.lexically_normal().string() + ":3:10: unknown variable '${nope.x}'\n");
  write_file(tmpl, "[server]\nport = ${ports.app}\nend = ${oops\n");
  r = run_bbx({"validate", file.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err == tmpl.lexically_normal().string() + ":3:7: unterminated '${' in '${oops'\n");
}

TEST_CASE("integer fields take ${ports.X} and ${var}: listening, statuses, exit codes") {
  auto run = run_scenario_file("tests/cases/passing/language_int_vars.yaml", fresh_dir("runs-int-vars"));
  check_console(run.result, 0, {"PASS  integer fields take variables"});
  const auto* port = first_of(run.events, "port.allocate");
  REQUIRE(port);
  auto web = std::to_string(port->body["port"].get<int>());
  CHECK(count_of(run.events, "assert.pass", [&](const Event& e) {
          return e.body["what"] == "subject 'web' listening on tcp port " + web;
        }) == 1);
  auto failing = run_scenario_file("tests/cases/failing/language_int_vars.yaml", fresh_dir("runs-int-vars-fail"));
  check_console(failing.result, 1, {"    tests/cases/failing/language_int_vars.yaml:7:16: subject 'web' listening on tcp port ",
                                    "      actual:   nothing of subject 'web' listens on tcp port ",
                                    "; subject 'web' listens on: tcp 127.0.0.1:"});
}

TEST_CASE("an integer field whose ${...} is no integer stops the run as invalid input at the field") {
  auto dir = fresh_dir("int-var-env");
  auto run = run_scenario_yaml(dir,
                               "name: port from the environment\n"
                               "subjects:\n"
                               "  app: {command: [bbx-fixture, --listen, \"8080\"], ready: {listening: 8080}}\n"
                               "expect:\n"
                               "  - listening: {subject: app, port: \"${env.HOME}\"}\n");
  CHECK(run_bbx({"validate", run.file.string()}).exit_code == 0);  // ${env.X} is known only at run time
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 3);  // the scenario ends as an error
  CHECK(r.out.find(run.file.string() + ":5:37: expect[0].listening.port: '${env.HOME}' is '") != std::string::npos);
  CHECK(r.out.find("', not an integer") != std::string::npos);
}

TEST_CASE("wait for output: count waits for the N-th matching line of the run") {
  auto run = run_scenario_file("tests/cases/failing/wait_output_count.yaml", fresh_dir("runs-wait-count"));
  check_console(run.result, 1,
                {"    tests/cases/failing/wait_output_count.yaml:11:5: step 'wait for output reloading on SIGHUP'\n"
                 "      expected: 3 output lines containing \"reloading on SIGHUP\" within 300ms\n"
                 "      actual:   2 such lines\n"});
  CHECK(first_with(run.events, "what", "2 output lines containing \"reloading on SIGHUP\""));  // the one before it held
}

TEST_CASE("signal steps: to main spares the children; expect_exit and wait for exit make exits expected; counted waits") {
  auto run = run_scenario_file("tests/cases/passing/steps_signal_exit.yaml", fresh_dir("runs-signal-exit"));
  check_console(run.result, 0, {"PASS  signals, expected exits and counted waits"});
  CHECK(count_of(run.events, "process.signal", [](const Event& e) { return e.body["to"] == "main"; }) == 3);
  CHECK(count_of(run.events, "process.signal", [](const Event& e) { return e.body["to"] == "group"; }) == 1);
  CHECK(count_of(run.events, "process.exit", [](const Event& e) { return e.body["describe"] == "killed by SIGHUP"; }) == 0);
  CHECK(count_of(run.events, "assert.fail") == 0);
  CHECK(count_of(run.events, "wait.done", [](const Event& e) { return e.body["ok"] == true; }) == 6);
  CHECK(first_with(run.events, "what", "2 output lines containing \"reloading on SIGHUP\""));
  CHECK(first_with(run.events, "what", "subject 'app' killed by SIGKILL within 2s"));
}

TEST_CASE("signal steps and waits for exits fail with expected and actual") {
  auto run = [](const std::string& name) {
    return run_scenario_file("tests/cases/failing/" + name + ".yaml", fresh_dir("runs-" + name)).result;
  };
  check_console(run("signal_group_kills_child"), 1,
                {"    tests/cases/failing/signal_group_kills_child.yaml:12:14: processes of subject 'app' named 'fixture-child'\n"
                 "      expected: exactly 1\n"
                 "      actual:   0; 1 zombie: pid N fixture-child; its tree has 1: pid N bbx-fixture\n"});
  check_console(run("signal_expect_exit"), 1,
                {"    tests/cases/failing/signal_expect_exit.yaml:7:5: step 'signal app' exit\n"
                 "      expected: subject 'app' exited with code 3 within 5s\n"
                 "      actual:   exited with code 0\n"
                 "      events:   #N\n"});
  check_console(run("wait_exit"), 1,
                {"    tests/cases/failing/wait_exit.yaml:8:5: step 'wait for exit of app' exit\n"
                 "      expected: subject 'app' exited within 300ms\n"
                 "      actual:   still running\n"});
}

TEST_CASE("within: the deadlines of the expectations run together, not one after another") {
  auto run = run_scenario_file("tests/cases/failing/within_shared_deadline.yaml", fresh_dir("runs-within-shared"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 1);
  auto fails = events_of(run.events, "assert.fail");
  const auto* ready = first_of(run.events, "subject.ready");
  REQUIRE(fails.size() == 3);
  REQUIRE(ready);
  // Each waited for its whole `within: 2s` from when the checks began (after the readiness)...
  CHECK(fails[0].t_ns - ready->t_ns >= 1'900'000'000);
  // ... and the three deadlines were one: waited for in turn, each would end 2 s after the last.
  CHECK(fails[2].t_ns - fails[0].t_ns < 1'000'000'000);
}
