// What a running scenario is doing, from its journal so far.
#include <doctest/doctest.h>

#include "report/run_phase.hpp"

using namespace bbx;

namespace {

Event event(std::string type, EventSource source, std::int64_t t_ms, nlohmann::json body = nlohmann::json::object()) {
  Event e;
  e.type = std::move(type);
  e.source = std::move(source);
  e.t_ns = t_ms * 1'000'000;
  e.body = std::move(body);
  return e;
}

}  // namespace

TEST_CASE("readiness, then steps, then expectations, each with how long it has lasted") {
  report::RunPhase p;
  CHECK(p.describe(1'000'000'000) == "starting for 1.0s");
  p.feed(event("process.spawn", {"subject", "app", 7}, 100));
  CHECK(p.describe(2'100'000'000) == "waiting for subject 'app' to be ready for 2.0s");
  p.feed(event("subject.ready", {"subject", "app", 7}, 300));
  p.feed(event("step.begin", {"step", "wait for file out.txt", 0}, 400));
  CHECK(p.describe(10'400'000'000) == "in step 1 'wait for file out.txt' for 10.0s");
  p.feed(event("step.end", {"step", "wait for file out.txt", 0}, 500));
  p.feed(event("assert.pass", {"assert", "x", 0}, 600));
  CHECK(p.describe(1'600'000'000) == "checking the expectations for 1.0s");
  p.feed(event("process.signal", {"subject", "app", 7}, 700, {{"reason", "stop"}, {"signal", "SIGTERM"}}));
  CHECK(p.describe(5'700'000'000) == "stopping subject 'app' for 5.0s");
}

TEST_CASE("types() admits every event type feed() reacts to, so a filtered reader tells the same phase") {
  // Each catalogued type, from each of its source kinds, after a step began (so that step and
  // assert events count) and with a stop reason (so a process.signal counts).
  for (const auto& type : journal::ev::all) {
    for (std::string kind : {"subject", "step", "assert", "scenario", "fake", "probe", "runner"}) {
      report::RunPhase before;
      before.feed(event("step.begin", {"step", "s", 0}, 1));
      before.feed(event("step.end", {"step", "s", 0}, 2));
      auto base = before.describe(10'000'000'000);
      before.feed(event(std::string(type.name()), {kind, "x", 1}, 3, {{"reason", "stop"}}));
      bool changed = before.describe(10'000'000'000) != base;
      report::RunPhase fresh;
      fresh.feed(event(std::string(type.name()), {kind, "x", 1}, 3, {{"reason", "stop"}}));
      changed = changed || fresh.describe(10'000'000'000) != "starting for 10.0s";
      if (changed) CHECK_MESSAGE(report::RunPhase::types().admits(type.name()), type.name());
    }
  }
}
