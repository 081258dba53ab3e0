#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "scenario/loader.hpp"

using namespace bbx;

namespace {

std::filesystem::path scenario_file(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit-loader";
  std::filesystem::create_directories(dir);
  auto p = dir / (name + ".yaml");
  std::ofstream(p) << text;
  return p;
}

// The error message (without "path:") loading text gives, or "" when it loads.
std::string load_error(const std::string& text) {
  auto p = scenario_file("case", text);
  try {
    scenario::load_scenario_file(p);
    return "";
  } catch (const Error& e) {
    auto s = e.formatted();
    return s.substr(p.string().size() + 1);
  }
}

const char* kValid = R"(name: ok
fakes:
  up: {http: {port: auto}, routes: [{match: {path: /x}, respond: {status: 201, body: hi, delay: 5ms}}]}
subjects:
  db: {command: [bbx-fixture, --listen, "7000"], ready: {listening: 7000}}
  app:
    command: [bbx-fixture, --upstream, "${fakes.up.url}"]
    after: [db]
    stop: {signal: INT, grace: 1s}
steps:
  - http: {post: "http://127.0.0.1:7000/", body: x}
    expect: {status: 200}
  - signal: {subject: app, signal: HUP}
  - sleep: 10ms
expect:
  - request: {fake: up, path: /x, count: ">= 1", within: 1s}
  - exit: {subject: app, code: 0}
)";

}  // namespace

TEST_CASE("a complete scenario loads into the model") {
  auto scenarios = scenario::load_scenario_file(scenario_file("valid", kValid));
  REQUIRE(scenarios.size() == 1);
  const auto& s = scenarios[0];
  CHECK(s.id == "ok");
  REQUIRE(s.fakes.size() == 1);
  CHECK(s.fakes[0].port == 0);
  CHECK(s.fakes[0].routes[0].respond.status == 201);
  CHECK(s.fakes[0].routes[0].respond.delay == std::chrono::milliseconds(5));
  REQUIRE(s.subjects.size() == 2);
  CHECK(s.subjects[0].name == "db");
  CHECK(s.subjects[1].stop.signal == 2);
  CHECK(s.steps.size() == 3);
  CHECK(s.steps[0].label == "http POST http://127.0.0.1:7000/");
  REQUIRE(s.expect.size() == 2);
  CHECK(s.expect[0].within == std::chrono::seconds(1));
}

TEST_CASE("subjects are ordered so that `after:` dependencies start first") {
  auto s = scenario::load_scenario_file(scenario_file("order", R"(name: order
subjects:
  web: {command: [x], after: [api]}
  api: {command: [x], after: [db]}
  db: {command: [x]}
)"))[0];
  CHECK(s.subjects[0].name == "db");
  CHECK(s.subjects[1].name == "api");
  CHECK(s.subjects[2].name == "web");
}

TEST_CASE("mistakes are reported at their line and column with a fix") {
  CHECK(load_error("name: x\nfakse: {}\n") == "2:1: scenario: unknown key 'fakse'; did you mean 'fakes'?");
  CHECK(load_error("name: x\nfakes:\n  a: {http: {}, routes: [{respnd: {}}]}\n") ==
        "3:27: fake 'a'.routes[0]: unknown key 'respnd'; did you mean 'respond'?");
  CHECK(load_error("name: x\nsteps:\n  - sleep: 5\n") ==
        "3:12: steps[0].sleep: invalid duration '5' (use a number with a unit: 250ms, 2s, 1m)");
  CHECK(load_error("name: x\nexpect:\n  - exit: {subject: ghost}\n") ==
        "3:11: unknown subject 'ghost' (none is defined)");
  CHECK(load_error("name: x\nsubjects:\n  a: {command: [x, \"${fakes.nope.port}\"]}\n") ==
        "3:20: unknown variable '${fakes.nope.port}'");
  CHECK(load_error("name: x\nsubjects:\n  a: {command: [x], after: [b]}\n  b: {command: [x], after: [a]}\n") ==
        "4:6: subject 'b': 'after' forms a cycle through 'a'");
  CHECK(load_error("name: x\nfakes: {a: {http: {}}}\nsubjects: {a: {command: [x]}}\n") ==
        "3:12: duplicate name 'a': a subject may not share a name with another fake or subject");
  CHECK(load_error("name: [x\n") == "2:1: YAML syntax: end of sequence flow not found");
}

TEST_CASE("an empty file and a missing file are input errors") {
  CHECK(load_error("") == "1:1: empty scenario file (it needs at least 'name:')");
  CHECK_THROWS_AS(scenario::load_scenario_file("/nonexistent/x.yaml"), Error);
}

TEST_CASE("--var overrides scenario vars") {
  scenario::LoadOptions opts;
  opts.cli_vars["port"] = "9";
  auto s = scenario::load_scenario_file(scenario_file("vars", "name: v\nvars: {port: \"8\"}\n"), opts)[0];
  CHECK(s.vars["port"] == "9");
}

TEST_CASE("always/never windows and mark bounds are validated") {
  const std::string head = "name: x\nsubjects: {app: {command: [x]}}\nsteps: [{mark: warm}]\nexpect:\n";
  CHECK(load_error(head + "  - process: {subject: app, always: {from: {mark: warm}}, never: {from: {mark: warm}}}\n") ==
        "5:66: expect[0].process: give 'always' or 'never', not both");
  CHECK(load_error(head + "  - listening: {port: 1, within: 1s, always: {from: {mark: warm}}}\n") ==
        "5:46: expect[0].listening: 'always' samples over a window while the steps run; it does not combine with "
        "'within'");
  CHECK(load_error(head + "  - log: {subject: app, contains: x, never: {from: {mark: warm}}}\n") ==
        "5:45: expect[0].log: 'never' applies to the live probes listening, process and file; count events in a "
        "window with 'during' (and 'absent: true' for never)");
  CHECK(load_error(head + "  - file: {path: f, always: {from: {mark: wram}}}\n") ==
        "5:36: unknown mark 'wram'; did you mean 'warm'?");
  CHECK(load_error(head + "  - file: {path: f, always: {to: {mark: warm}}}\n") == "5:29: expect[0].file.always: missing 'from'");
  CHECK(load_error(head + "  - file: {path: f, owner: \"\"}\n") == "5:28: expect[0].file.owner: must not be empty");
  CHECK(load_error(head + "  - order: {first: {mark: warm}, then: {step: x}, during: {from: {mark: \"\"}}}\n") ==
        "5:73: expect[0].order.during.from.mark: must not be empty");
  CHECK(load_error(head + "  - file: {path: f, never: {from: {mark: warm}}}\n  - process: {subject: app, user: 0, "
                          "threads: 1..4, always: {from: {step: '*'}, to: {mark: warm}}}\n") == "");
}
