// Baselines (compare/baseline.hpp) learned from hand-written journals: what stayed the same
// is kept, what varied between the runs becomes noise (a lane's items, a request order, an
// outcome), counts keep their range, numbers their distribution; a later run is judged in
// the three layers, and numbers only with enough runs.
#include <doctest/doctest.h>

#include "bbx/error.hpp"
#include "compare/baseline.hpp"
#include "compare_test_support.hpp"

using namespace bbx::compare;
using bbx::testing::JournalWriter;
using nlohmann::json;

namespace {

struct Run {
  int pid = 5;
  std::vector<std::string> lines = {"fixture starting pid=PID", "ready"};
  std::vector<std::string> paths = {"/a", "/b"};
  std::int64_t ready_ns = 5'000'000;
  std::string verdict = "passed";
};

std::filesystem::path write(const std::string& name, const Run& r) {
  JournalWriter j(name);
  j.begin("s", {{"sandbox", "/runs/" + name + "/s/sandbox"}, {"hostname", "host"}});
  j.add("fake", "up", 0, "fake.listen", {{"port", 42000 + r.pid}, {"url", "http://127.0.0.1:" + std::to_string(42000 + r.pid)}});
  j.add("subject", "app", r.pid, "process.spawn",
        {{"argv", {"app"}}, {"cwd", "/runs/" + name + "/s/sandbox"}, {"executable", "/x/app"}, {"supervisor_pid", r.pid - 1}});
  for (auto line : r.lines) {
    if (auto p = line.find("PID"); p != std::string::npos) line.replace(p, 3, std::to_string(r.pid));
    j.line("app", line, r.pid);
  }
  j.add("subject", "app", r.pid, "subject.ready", {{"waited_ns", r.ready_ns}, {"cpu_ns", 1}, {"realtime_ns", 1}});
  int conn = 0;
  for (const auto& p : r.paths) {
    j.add("fake", "up", 0, "http.request",
          {{"conn", ++conn}, {"client", "127.0.0.1:5000" + std::to_string(conn)}, {"method", "GET"}, {"target", p},
           {"path", p}, {"query", ""}, {"version", "HTTP/1.1"}, {"headers", json::object()}, {"route", 0},
           {"matched", true}, {"sequence", 0}, {"body_bytes", 0}, {"body", ""}});
  }
  j.add("scenario", "s", 0, "scenario.end", {{"verdict", r.verdict}, {"message", ""}});
  return j.path();
}

// Learns from runs (their journals under baseline_<i>).
json learn(const std::vector<Run>& runs) {
  ScenarioRuns s{"s", {}};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Each journal in a directory of its own, kept until learning is done.
    auto path = write("baseline_" + std::to_string(i), runs[i]);
    s.journals.push_back(path);
  }
  return learn_baseline({s});
}

ScenarioDiff judge(const json& baseline, const Run& r, BaselineOptions o = {}) {
  return judge_run(baseline, "baseline.json", "s", write("judged", r), o);
}

std::string all(const ScenarioDiff& d) {
  std::string out;
  for (const auto& x : d.differences) out += std::string(layer_name(x.layer)) + " | " + x.where + " | " + x.message + "\n";
  for (const auto& n : d.notes) out += "note | " + n + "\n";
  return out;
}

std::vector<Run> unchanged(int n) {
  std::vector<Run> runs(n);
  for (int i = 0; i < n; ++i) {
    runs[i].pid = 5 + i * 7;
    runs[i].ready_ns = 5'000'000 + i * 100'000;
  }
  return runs;
}

}  // namespace

TEST_CASE("what stayed the same across the runs is kept; a run like them is the same") {
  auto b = learn(unchanged(5));
  const auto& s = b["scenarios"]["s"];
  CHECK(b["format"] == "bbx-baseline");
  CHECK(b["version"] == kBaselineVersion);
  CHECK(s["runs"] == 5);
  CHECK(s["outcomes"]["verdict"] == json{{"rank", 0}, {"value", "passed"}});
  CHECK(s["lanes"]["subject 'app' stderr"]["items"] ==
        json::array({{{"text", "fixture starting pid=[PID:app]"}}, {{"text", "ready"}}}));
  CHECK(s["lanes"]["fake 'up' requests"]["kind"] == "multiset_ordered");
  CHECK(s["numbers"]["subject 'app' ready after"]["n"] == 5);
  CHECK(s["numbers"]["subject 'app' ready after"]["median"] == 5'200'000.0);
  CHECK(s["templates"] == json::array({"fixture starting pid=[PID:app]", "ready"}));

  Run again;
  again.pid = 999;
  auto d = judge(b, again);
  INFO(all(d));
  CHECK(d.same());
  CHECK(d.notes.empty());
}

TEST_CASE("what varied between the runs is noise: a lane's items, a request order") {
  auto runs = unchanged(5);
  runs[1].lines.push_back("retrying once");
  runs[2].paths = {"/b", "/a"};
  auto b = learn(runs);
  const auto& lanes = b["scenarios"]["s"]["lanes"];
  CHECK(lanes["subject 'app' stderr"]["varies"] == true);
  CHECK(lanes["subject 'app' stderr"]["seen"].size() == 3);
  CHECK(lanes["fake 'up' requests"]["kind"] == "multiset");  // the order is noise

  Run swapped;
  swapped.paths = {"/b", "/a"};
  swapped.lines.push_back("retrying once");
  auto same = judge(b, swapped);
  INFO(all(same));
  CHECK(same.same());

  Run novel;
  novel.lines.push_back("error: out of memory");
  auto d = judge(b, novel);
  INFO(all(d));
  REQUIRE(d.differences.size() >= 1);
  CHECK(d.differences[0].layer == Layer::behaviour);
  CHECK(d.differences[0].where == "subject 'app' stderr");
  CHECK(d.differences[0].message ==
        "1 item never seen in the 5 baseline runs (this lane varies between runs): \"error: out of memory\"");
}

TEST_CASE("behaviour against kept lanes reads as bbx diff does; a verdict never seen fails") {
  auto b = learn(unchanged(5));
  Run extra;
  extra.paths = {"/a", "/b", "/c"};
  auto d = judge(b, extra);
  INFO(all(d));
  bool found = false;
  for (const auto& x : d.differences)
    found = found || (x.where == "fake 'up' requests" && x.message == "+1 request \"GET /c\" (0 in the baseline, 1 in this run)");
  CHECK(found);

  Run failed;
  failed.verdict = "failed";
  auto f = judge(b, failed);
  INFO(all(f));
  REQUIRE_FALSE(f.differences.empty());
  CHECK(f.differences[0].where == "verdict");
  CHECK(f.differences[0].message == "passed -> failed");
}

TEST_CASE("numbers: outside the learned distribution with the effect size; not judged with too few runs") {
  auto b = learn(unchanged(5));
  Run slow;
  slow.ready_ns = 400'000'000;
  BaselineOptions o;
  auto d = judge(b, slow, o);
  INFO(all(d));
  REQUIRE(d.differences.size() == 1);
  const auto& x = d.differences[0];
  CHECK(x.layer == Layer::numbers);
  CHECK(x.where == "subject 'app' ready after");
  CHECK(x.a == 5'200'000.0);
  CHECK(x.b == 400'000'000.0);
  REQUIRE(x.effect);
  CHECK(*x.effect > 100);
  CHECK(x.message.find("400ms, outside the 99% interval ") == 0);
  CHECK(x.message.find(" of 5 baseline runs (median 5.2ms; +395ms, +7592%, effect +") != std::string::npos);

  Run near;  // within the floor (100ms): scheduling, not drift
  near.ready_ns = 60'000'000;
  CHECK(judge(b, near, o).same());

  auto few = learn(unchanged(2));
  auto f = judge(few, slow, o);
  INFO(all(f));
  CHECK(f.differences.empty());
  REQUIRE(f.notes.size() == 1);
  CHECK(f.notes[0] == "the baseline has 2 runs of this scenario, fewer than 5: numbers are not judged (learn with --repeat 5 or more)");
}

TEST_CASE("durations under load: 150 ms of jitter over a tight baseline is not a difference, 300 ms is") {
  auto b = learn(unchanged(10));  // readiness 5.0 .. 5.9 ms: a tight distribution
  Run jitter;                     // a scheduling stall of a loaded CI machine
  jitter.ready_ns = 5'450'000 + 150'000'000;
  CHECK(judge(b, jitter).same());
  Run slow;
  slow.ready_ns = 5'450'000 + 300'000'000;
  auto d = judge(b, slow);
  INFO(all(d));
  REQUIRE(d.differences.size() == 1);
  CHECK(d.differences[0].where == "subject 'app' ready after");
  // The interval's low end is clamped at 0: a duration is not negative.
  CHECK(d.differences[0].message.find("305ms, outside the 99% interval 0ns .. 255ms of 10 baseline runs (median 5.45ms; +300ms, +5505%, effect +") == 0);
}

TEST_CASE("counts keep their range; a baseline that does not hold the scenario or is malformed says so") {
  auto b = learn(unchanged(5));
  CHECK(b["scenarios"]["s"]["counts"]["subject 'app' stderr lines like 'ready'"] == json{{"max", 1}, {"min", 1}});
  auto other = judge_run(b, "baseline.json", "t", write("judged_other", Run{}), {});
  CHECK(other.only_in_b);
  CHECK_FALSE(other.same());

  json broken = b;
  broken["scenarios"]["s"].erase("lanes");
  CHECK_THROWS_WITH_AS(judge(broken, Run{}), "baseline: missing 'lanes'", bbx::Error);
}
