// The merged timeline end to end: a failed run of two subjects and bbx's own step calling
// one fake (tests/cases/failing/timeline_two_callers.yaml) leaves trace.json and
// timeline.html and names them under the failure; `bbx timeline` prints its journal with
// each filter from the command line; who sent each request is journaled and `from:`
// filters on it; --follow follows a running scenario to its end; bad input is exit 2;
// every scenarios/ run's trace.json passes the Trace Event validator.
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "harness.hpp"
#include "trace_validator.hpp"

using namespace bbx::testing;

namespace {

const char* kTwoCallers = "tests/cases/failing/timeline_two_callers.yaml";

const ScenarioRun& two_callers() {
  static ScenarioRun run = run_scenario_file(kTwoCallers, fresh_dir("timeline_two_callers"));
  return run;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

CommandResult timeline(const std::vector<std::string>& args) {
  std::vector<std::string> all{"timeline", "--runs-dir", two_callers().runs.string(), "--color", "never"};
  all.insert(all.end(), args.begin(), args.end());
  return run_bbx(all);
}

}  // namespace

TEST_CASE("who sent each request is journaled, and from: filters on it") {
  const auto& run = two_callers();
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 1);
  auto requests = events_of(run.events, "http.request", "upstream");
  REQUIRE(requests.size() == 3);
  std::map<std::string, std::string> sender;
  for (const auto& r : requests) {
    REQUIRE(r.body.contains("from"));
    sender[r.body["path"]] = r.body["from"]["kind"].get<std::string>() + ":" + r.body["from"]["name"].get<std::string>();
    CHECK(r.body["from"]["pid"].get<int>() > 0);
  }
  CHECK(sender["/api/a"] == "subject:front");
  CHECK(sender["/api/b"] == "subject:back");
  CHECK(sender["/api/c"] == "bbx:bbx");
  // The subject's pid is one of front's processes.
  const auto* spawn = first_of(run.events, "process.spawn", [](const bbx::Event& e) { return e.source.name == "front"; });
  REQUIRE(spawn);
  CHECK(requests[0].body["from"]["pid"] == spawn->source.pid);
  // Four from: expectations hold; the fifth fails, saying who did send it.
  CHECK(count_of(run.events, "assert.pass", [](const bbx::Event& e) {
          return e.body["what"].get<std::string>().find(" from ") != std::string::npos;
        }) == 4);
  CHECK(run.result.out.find("sender differs: expected back, got subject front (pid ") != std::string::npos);
}

TEST_CASE("a failed scenario gets trace.json and timeline.html, named under its failure") {
  const auto& run = two_callers();
  REQUIRE(!run.dir.empty());
  CHECK(std::filesystem::exists(run.dir / "trace.json"));
  CHECK(std::filesystem::exists(run.dir / "timeline.html"));
  // Under the failure, after its journal: the run's own directory (not runs/latest).
  const auto& out = run.result.out;
  auto journal = out.find("  journal: ");
  REQUIRE(journal != std::string::npos);
  auto dir = out.substr(journal + 11, out.find("/events.jsonl\n", journal) - journal - 11);
  CHECK(std::filesystem::equivalent(dir, run.dir));
  CHECK(out.find("  timeline: " + dir + "/timeline.html\n", journal) != std::string::npos);
  CHECK(out.find("  trace:    " + dir + "/trace.json  (ui.perfetto.dev)\n", journal) != std::string::npos);
  auto problems = validate_trace(read_file(run.dir / "trace.json"));
  CHECK(problems.empty());
  for (const auto& p : problems) MESSAGE(p);
  // Flows from front, back and bbx's step to the fake.
  auto doc = nlohmann::json::parse(read_file(run.dir / "trace.json"));
  int flows = 0;
  for (const auto& e : doc["traceEvents"]) flows += e["ph"] == "s";
  CHECK(flows == 3);
}

TEST_CASE("bbx timeline prints the latest run's failed scenario, one line per event, every event") {
  auto r = timeline({});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto lines = lines_of(r.out);
  CHECK(lines.size() == two_callers().events.size());
  // The first event is at the scenario's start, within the clock's first milliseconds (a
  // sanitizer build can take one before it appends).
  CHECK(lines[0].rfind("+0.0", 0) == 0);
  CHECK(lines[0].find("s  #1  [scenario]  scenario begins: timeline two callers") == 6);
  CHECK(r.out.find("[assert]  FAILED: request at fake 'upstream': any method /api/a from back") != std::string::npos);
  CHECK(r.out.find("[fake:upstream]  GET /api/a from front (pid ") != std::string::npos);
}

TEST_CASE("bbx timeline filters: --type, --source, --grep, --since/--until by mark and seq, --around, --failures, --json") {
  auto count = [](const CommandResult& r) { return lines_of(r.out).size(); };
  auto r = timeline({"--type", "assert.fail"});
  REQUIRE(r.exit_code == 0);
  CHECK(count(r) == 1);
  r = timeline({"--source", "fake:upstream", "--type", "http.request"});
  CHECK(count(r) == 3);
  r = timeline({"--source", "front", "--grep", "^\\S+  #\\d+  \\[front:stderr\\]  listening on"});
  CHECK(count(r) == 1);
  r = timeline({"--since", "after requests", "--type", "http.request"});
  CHECK(count(r) == 1);
  CHECK(r.out.find("GET /api/c from bbx") != std::string::npos);
  r = timeline({"--until", "mark:after requests", "--type", "http.request"});
  CHECK(count(r) == 2);
  r = timeline({"--around", "10+-2"});
  auto around = lines_of(r.out);
  REQUIRE(around.size() == 5);
  CHECK(around[0].find("  #8  ") != std::string::npos);
  r = timeline({"--failures", "--type", "assert.fail"});
  CHECK(count(r) == 1);
  r = timeline({"--json", "--type", "mark"});
  auto mark = nlohmann::json::parse(r.out);
  CHECK(mark["body"]["name"] == "after requests");
  r = timeline({"--since", "0s", "--until", "#3"});
  CHECK(count(r) == 3);
}

TEST_CASE("bbx timeline: bad input is exit 2 with a message naming the fix") {
  auto r = timeline({"--around", "x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--around: expected SEQ or SEQ±N") != std::string::npos);
  r = timeline({"--type", "assert.fial"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("did you mean 'assert.fail'?") != std::string::npos);
  r = timeline({"--since", "no such mark"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("its marks: after requests") != std::string::npos);
  r = run_bbx({"timeline", "--runs-dir", fresh_dir("timeline_none").string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no run yet") != std::string::npos);
  r = run_bbx({"timeline", "/nonexistent/dir"});
  CHECK(r.exit_code == 2);
}

TEST_CASE("bbx timeline --trace writes both views on demand; bbx run --trace never and always") {
  auto r = timeline({"--trace"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("trace: ") != std::string::npos);
  CHECK(r.out.find("timeline: ") != std::string::npos);
  auto dir = fresh_dir("timeline_trace_policy");
  auto never = run_scenario_file(kTwoCallers, dir / "never", {"--trace", "never"});
  REQUIRE(!never.dir.empty());
  CHECK(!std::filesystem::exists(never.dir / "trace.json"));
  CHECK(never.result.out.find("timeline: ") == std::string::npos);
  auto always = run_scenario_file("scenarios/lifecycle_and_files.yaml", dir / "always", {"--trace", "always"});
  REQUIRE(!always.dir.empty());
  CHECK(std::filesystem::exists(always.dir / "trace.json"));
  CHECK(std::filesystem::exists(always.dir / "timeline.html"));
  auto bad = run_bbx({"run", "--trace", "sometimes", "scenarios/proxy_forwards.yaml"});
  CHECK(bad.exit_code == 2);
}

TEST_CASE("bbx timeline --follow prints a running scenario's events until its end") {
  auto dir = fresh_dir("timeline_follow");
  auto yaml = write_file(dir / "s.yaml", R"(name: followed
subjects:
  app: {command: [bbx-fixture, --log-line, "followed line"], ready: none}
steps:
  - sleep: 1500ms
  - mark: late
)");
  auto runs = dir / "runs";
  auto pid = start_bbx({"run", "--runs-dir", runs.string(), yaml.string()});
  std::filesystem::path journal;
  REQUIRE(wait_until([&] {
    if (!std::filesystem::exists(runs / "latest")) return false;
    for (const auto& e : std::filesystem::directory_iterator(runs / "latest"))
      if (std::filesystem::exists(e.path() / "events.jsonl")) journal = e.path() / "events.jsonl";
    return !journal.empty() && journal_has(journal, "step.begin");
  }, std::chrono::seconds(20)));
  auto r = run_bbx({"timeline", "--follow", "--color", "never", journal.parent_path().string()});
  CHECK(wait_exit(pid, std::chrono::milliseconds(20000)) == 0);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("[step:mark late]  mark late") != std::string::npos);
  CHECK(r.out.find("scenario ends: passed") != std::string::npos);
}

TEST_CASE("every trace.json the example scenarios produce passes the validator") {
  auto runs = fresh_dir("timeline_scenarios");
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "--trace", "always", "scenarios/"}, std::chrono::seconds(120));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  int traces = 0;
  for (const auto& e : std::filesystem::directory_iterator(runs / "latest")) {
    if (!e.is_directory()) continue;
    REQUIRE(std::filesystem::exists(e.path() / "trace.json"));
    auto problems = validate_trace(read_file(e.path() / "trace.json"));
    INFO(e.path().string());
    CHECK(problems.empty());
    for (const auto& p : problems) MESSAGE(p);
    ++traces;
  }
  CHECK(traces >= 6);
}
