// The failure bundle (runner/failure_bundle.hpp): a failed scenario keeps failure/snapshot.json
// (its subjects' process trees at the moment it failed), and a subject that hangs (scenario
// timeout, readiness timeout, stop grace expired) also every thread's stack of every process
// of its tree in failure/stacks.txt, read before it is killed and never left stopped.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const Event* stacks_event(const ScenarioRun& run) { return first_of(run.events, "failure.stacks"); }

nlohmann::json snapshot_of(const ScenarioRun& run) {
  return nlohmann::json::parse(read_file(run.dir / "failure/snapshot.json"));
}

}  // namespace

TEST_CASE("a scenario timeout reads the hung subject's stacks, groups them, and the subject runs on afterwards") {
  auto run = run_scenario_yaml(fresh_dir("bundle-timeout"), R"(
name: hangs in a step
timeout: 2s
fakes:
  metrics: {statsd: {port: auto}}
subjects:
  app:
    command: [bbx-fixture, --listen, "0", --ignore-sigterm, --spin, --spawn-children, "2",
              --statsd, "127.0.0.1:${fakes.metrics.port}", --statsd-interval, 50ms]
    ready: {log: "listening on"}
    stop: {grace: 1s}
steps:
  - wait: {file: never/appears, timeout: 30s}
)");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  const Event* stacks = stacks_event(run);
  REQUIRE(stacks);
  CHECK(stacks->source.name == "app");
  CHECK(stacks->body["reason"].get<std::string>().starts_with("scenario timed out after 2s, still running step 1"));
  CHECK(stacks->body["processes"] == 3);              // the fixture and its two children
  CHECK(stacks->body["threads"].get<int>() >= 4);     // main, signal, spin threads + children
  CHECK(stacks->body["tools"] == nlohmann::json::array({"eu-stack"}));
  CHECK_FALSE(stacks->body.contains("errors"));
  CHECK(stacks->body["frozen_ms_max"].get<double>() < 2000.0);
  // Captured once: the stop grace that expires later (SIGTERM ignored) does not read them again.
  CHECK(count_of(run.events, "failure.stacks") == 1);

  // The console names the file and where the main thread was, innermost frame first.
  auto named = run.result.out.find("\n  stacks:   ");
  REQUIRE(named != std::string::npos);
  CHECK(run.result.out.find("/hangs_in_a_step/failure/stacks.txt\n", named) != std::string::npos);
  // Innermost first; whether Asio's accept wrapper is inlined between them depends on the build.
  auto main_thread = run.result.out.find(" main thread: accept < ");
  REQUIRE(main_thread != std::string::npos);
  CHECK(run.result.out.find(" < fixture::serve(fixture::Options const&) < main < ", main_thread) != std::string::npos);

  auto text = read_file(run.dir / "failure/stacks.txt");
  INFO(text);
  CHECK(text.starts_with("== subject 'app': scenario timed out after 2s"));
  CHECK(text.find("(fixture-child), 1 thread, read with eu-stack, frozen ") != std::string::npos);
  // A sleeping process's innermost frame: the children wait in pause(). (The statsd ticker
  // thread sleeps between sends too, but 1 read in ~20 catches it sending.)
  auto child = text.find("(fixture-child), 1 thread, read with eu-stack");
  REQUIRE(child != std::string::npos);
  CHECK(text.find("):\n    pause\n", child) != std::string::npos);
  CHECK(text.find("fixture::(anonymous namespace)::statsd_ticker") != std::string::npos);

  auto snap = snapshot_of(run);
  const auto& procs = snap["subjects"]["app"]["processes"];
  REQUIRE(procs.size() == 3);
  CHECK(procs[0]["cmdline"][1] == "--listen");
  CHECK(procs[0]["listening"].size() == 1);
  CHECK(procs[0]["stacks"]["groups"].size() >= 2);  // the spinning thread differs from the sleeping ones
  CHECK(procs[1]["comm"] == "fixture-child");
  for (const auto& p : procs) CHECK(p["state"] != "T");

  // The capture resumed it: the fixture still sends its 50 ms ticks after its stacks were read.
  std::uint64_t after = 0;
  for (const auto& e : events_of(run.events, "statsd.datagram"))
    if (e.seq > stacks->seq) ++after;
  CHECK(after >= 2);
}

TEST_CASE("a readiness timeout reads the stacks of the subject that is not ready") {
  auto run = run_scenario_yaml(fresh_dir("bundle-ready"), R"(
name: never ready
subjects:
  app:
    command: [bbx-fixture, --listen, "0", --listen-delay, 30s]
    ready: {log: "listening on", within: 500ms}
)");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  const Event* stacks = stacks_event(run);
  REQUIRE(stacks);
  CHECK(stacks->body["reason"].get<std::string>().starts_with("readiness of subject 'app': "));
  CHECK(stacks->body["processes"] == 1);
  CHECK(read_file(run.dir / "failure/stacks.txt").find("read with eu-stack") != std::string::npos);
}

TEST_CASE("a stop whose grace expires reads the stacks before the SIGKILL, in a scenario that passes") {
  auto run = run_scenario_yaml(fresh_dir("bundle-grace"), R"(
name: ignores SIGTERM
subjects:
  app:
    command: [bbx-fixture, --listen, "0", --ignore-sigterm]
    ready: {log: "listening on"}
    stop: {grace: 300ms}
)");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 0);
  const Event* stacks = stacks_event(run);
  REQUIRE(stacks);
  CHECK(stacks->body["reason"] == "stop grace of 300ms expired after SIGTERM");
  const Event* kill = first_of(run.events, "process.signal", [](const Event& e) { return e.body["signal"] == "SIGKILL"; });
  REQUIRE(kill);
  CHECK(stacks->seq < kill->seq);
}

TEST_CASE("a failed expectation keeps a snapshot of the running subjects and no stacks; a pass keeps nothing") {
  auto dir = fresh_dir("bundle-plain");
  auto run = run_scenario_yaml(dir, R"(
name: wrong port
subjects:
  app:
    command: [bbx-fixture, --listen, "0"]
    ready: {log: "listening on"}
expect:
  - listening: {subject: app, port: 1}
)");
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 1);
  const Event* snap_ev = first_of(run.events, "failure.snapshot");
  REQUIRE(snap_ev);
  CHECK(snap_ev->body["file"] == "failure/snapshot.json");
  CHECK(snap_ev->body["processes"] == 1);
  CHECK(snap_ev->body["reason"].get<std::string>().starts_with("subject 'app' listening on tcp port 1"));
  auto snap = snapshot_of(run);
  CHECK(snap["version"] == 1);
  CHECK(snap["subjects"]["app"]["running"] == true);
  REQUIRE(snap["subjects"]["app"]["processes"].size() == 1);
  CHECK(snap["subjects"]["app"]["processes"][0]["fds_total"].get<int>() >= 3);
  CHECK_FALSE(std::filesystem::exists(run.dir / "failure/stacks.txt"));
  CHECK(count_of(run.events, "failure.stacks") == 0);

  auto pass = run_scenario_yaml(fresh_dir("bundle-pass"), R"(
name: fine
subjects:
  app:
    command: [bbx-fixture, --listen, "0"]
    ready: {log: "listening on"}
)");
  CHECK(pass.result.exit_code == 0);
  CHECK(count_of(pass.events, "failure.snapshot") == 0);
  CHECK_FALSE(std::filesystem::exists(pass.dir / "failure"));
}
