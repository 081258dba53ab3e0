// Baselines (compare/baseline.hpp) learned from hand-written journals: what stayed the same
// is kept, what varied between the runs becomes noise (a lane's items, a request order, an
// outcome), counts keep their range, numbers their distribution; a later run is judged in
// the three layers, and numbers only with enough runs.
#include <doctest/doctest.h>

#include <fstream>
#include <optional>

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
  std::optional<double> cpu_pressure;  // scenario.end's, when the run journaled one
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
  json end = {{"verdict", r.verdict}, {"message", ""}};
  if (r.cpu_pressure) end["cpu_pressure"] = *r.cpu_pressure;
  j.add("scenario", "s", 0, "scenario.end", end);
  return j.path();
}

// Learns from runs (their journals under baseline_<i>).
json learn(const std::vector<Run>& runs, std::size_t max_items = kBaselineMaxItems) {
  ScenarioRuns s{"s", {}};
  for (std::size_t i = 0; i < runs.size(); ++i) {
    // Each journal in a directory of its own, kept until learning is done.
    auto path = write("baseline_" + std::to_string(i), runs[i]);
    s.journals.push_back(path);
  }
  return learn_baseline({s}, max_items);
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

TEST_CASE("value noise: a number that took other values in the runs may take a new one; a number that never varied may not") {
  auto runs = unchanged(5);
  for (int i = 0; i < 5; ++i)
    runs[i].lines = {"fixture starting pid=PID", "used_memory " + std::to_string(1000 + i * 64) + " bytes", "keys loaded: 2", "ready"};
  auto b = learn(runs);
  const auto& lane = b["scenarios"]["s"]["lanes"]["subject 'app' stderr"];
  CHECK(lane["value_noise"] == json::array({"used_memory <#> bytes"}));
  CHECK_FALSE(lane.contains("varies"));  // with its noise masked, the lane is the same in every run: kept in order
  REQUIRE(lane["items"].size() == 4);
  CHECK(lane["items"][1]["text"] == "used_memory <#> bytes");

  Run r;
  r.lines = {"fixture starting pid=PID", "used_memory 4242 bytes", "keys loaded: 2", "ready"};
  auto same = judge(b, r);
  INFO(all(same));
  CHECK(same.same());

  Run drift = r;
  drift.lines[2] = "keys loaded: 3";
  auto d = judge(b, drift);
  INFO(all(d));
  REQUIRE_FALSE(d.differences.empty());
  CHECK(d.differences[0].where == "subject 'app' stderr");
  CHECK(d.differences[0].message.find("\"keys loaded: 2\" -> \"keys loaded: 3\"") != std::string::npos);

  Run moved = r;  // the noise is masked, its order still counts
  std::swap(moved.lines[1], moved.lines[3]);
  CHECK_FALSE(judge(b, moved).same());
}

TEST_CASE("order noise: lines that moved between the runs may move again; the others keep their order and every count") {
  auto runs = unchanged(5);
  for (auto& r : runs) r.lines = {"starting", "plugin cpu loaded", "plugin disk loaded", "ready"};
  std::swap(runs[2].lines[1], runs[2].lines[2]);
  auto b = learn(runs);
  const auto& lane = b["scenarios"]["s"]["lanes"]["subject 'app' stderr"];
  CHECK_FALSE(lane.contains("varies"));
  REQUIRE(lane.contains("floating"));
  CHECK(lane["floating"].size() == 1);

  Run swapped;
  swapped.lines = {"starting", "plugin disk loaded", "plugin cpu loaded", "ready"};
  auto same = judge(b, swapped);
  INFO(all(same));
  CHECK(same.same());

  Run early = swapped;  // a line that never moved comes first
  early.lines = {"ready", "starting", "plugin disk loaded", "plugin cpu loaded"};
  auto d = judge(b, early);
  INFO(all(d));
  CHECK_FALSE(d.same());

  Run twice = swapped;  // a moving line printed twice
  twice.lines.insert(twice.lines.begin() + 1, "plugin cpu loaded");
  twice.lines.insert(twice.lines.begin() + 1, "plugin disk loaded");
  auto t = judge(b, twice);
  INFO(all(t));
  CHECK_FALSE(t.same());
}

TEST_CASE("a bounded baseline: past max_items a lane keeps the count and SHA-256 of its other items, and judges by them") {
  auto runs = unchanged(5);
  std::vector<std::string> lines, paths;
  for (char c = 'a'; c <= 'j'; ++c) {
    lines.push_back(std::string("step ") + c + " done");
    paths.insert(paths.begin(), std::string("/") + c);  // requested in another order than sorted
  }
  for (auto& r : runs) r.lines = lines, r.paths = paths;
  auto full = learn(runs);
  auto b = learn(runs, 3);
  CHECK(b.dump().size() < full.dump().size());
  const auto& seq = b["scenarios"]["s"]["lanes"]["subject 'app' stderr"];
  CHECK(seq["items"].size() == 3);
  CHECK(seq["rest"]["items"] == 7);
  CHECK(seq["rest"]["sha256"].get<std::string>().size() == 64);
  const auto& requests = b["scenarios"]["s"]["lanes"]["fake 'up' requests"];
  REQUIRE(requests["counted"].size() == 3);  // each distinct request once with its count, sorted
  CHECK(requests["counted"][0]["head"] == "GET /a");
  CHECK(requests["counted"][0]["n"] == 1);
  CHECK(requests["rest"]["kinds"] == 7);
  CHECK(requests["rest"]["items"] == 7);

  Run same;
  same.lines = lines, same.paths = paths;
  auto s = judge(b, same);
  INFO(all(s));
  CHECK(s.same());

  Run late = same;  // a line past the cap changed
  late.lines[8] = "step x done";
  auto d = judge(b, late);
  INFO(all(d));
  REQUIRE(d.differences.size() >= 1);
  bool said = false;
  for (const auto& x : d.differences)
    said = said || (x.where == "subject 'app' stderr" &&
                    x.message == "the items past the first 3 differ from the baseline's, which keeps only their count and SHA-256: "
                                 "7 items in the baseline, 7 items in this run");
  CHECK(said);

  Run extra = same;  // a request sorting past the kept ones, and one before them
  extra.paths.push_back("/z");
  extra.paths.push_back("/0");
  auto e = judge(b, extra);
  INFO(all(e));
  std::string text = all(e);
  CHECK(text.find("fake 'up' requests | the items past the first 3 kinds (by text) differ from the baseline's, which keeps only "
                  "their count and SHA-256: 7 kinds, 7 items in the baseline, 8 kinds, 8 items in this run") != std::string::npos);
  CHECK(text.find("fake 'up' requests | +1 request \"GET /0\" (0 in the baseline, 1 in this run)") != std::string::npos);

  // A varying lane keeps its first distinct items by text; past them nothing is judged, and a note says so.
  auto vary = runs;
  for (std::size_t i = 0; i < vary.size(); ++i) vary[i].lines.push_back("only in run " + std::string(1, char('p' + i)));
  auto v = learn(vary, 3);
  const auto& lane = v["scenarios"]["s"]["lanes"]["subject 'app' stderr"];
  CHECK(lane["varies"] == true);
  CHECK(lane["seen"].size() == 3);
  CHECK(lane["seen_rest"]["kinds"] == 12);
  auto n = judge(v, vary[0]);
  INFO(all(n));
  CHECK(n.differences.empty());
  REQUIRE(n.notes.size() == 1);
  CHECK(n.notes[0].find("subject 'app' stderr: 10 items past the 3 distinct items the baseline keeps of this lane: not judged") == 0);
}

TEST_CASE("a version 1 baseline (before lanes were bounded) is still read") {
  auto b = learn(unchanged(5));
  b["version"] = 1;
  auto path = std::filesystem::path(BBX_BINARY_DIR) / "test-tmp" / "compare" / "v1.json";
  std::ofstream(path) << b.dump(2);
  auto read = read_baseline(path);
  CHECK(read["version"] == 1);
  CHECK(judge(read, Run{}).same());
  b["version"] = 3;
  std::ofstream(path) << b.dump(2);
  CHECK_THROWS_WITH_AS(read_baseline(path), doctest::Contains("baseline version 3 is not supported (this bbx reads versions 1 to 2)"), bbx::Error);
}

TEST_CASE("a count that varied between the runs by k may vary by k more; one that never varied may not") {
  auto runs = unchanged(5);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].lines = {"starting", "retrying", "ready"};
    if (i % 2) runs[i].lines.insert(runs[i].lines.begin() + 1, "retrying");  // 1 or 2 retries
  }
  auto b = learn(runs);
  CHECK(b["scenarios"]["s"]["counts"]["subject 'app' stderr lines like 'retrying'"] == json{{"max", 2}, {"min", 1}});
  auto retries = [&](int n) {
    Run r;
    r.lines = {"starting", "ready"};
    for (int k = 0; k < n; ++k) r.lines.insert(r.lines.begin() + 1, "retrying");
    return judge(b, r);
  };
  for (int n : {1, 2, 3}) {
    auto d = retries(n);
    INFO(n, all(d));
    CHECK(d.same());
  }
  auto d = retries(4);
  INFO(all(d));
  CHECK(all(d).find("counts | subject 'app' stderr lines like 'retrying' | 4, outside the baseline's 1..2 (5 runs, give or take 1)\n") !=
        std::string::npos);
}

TEST_CASE("a busier machine: durations may stretch by the ratio of the expected slowdowns, and the report says so") {
  auto runs = unchanged(10);  // a slow starter: readiness 400.0 .. 400.9 ms, learned on a quiet machine
  for (auto& r : runs) {
    r.ready_ns += 395'000'000;
    r.cpu_pressure = 0.05;
  }
  auto b = learn(runs);
  CHECK(b["scenarios"]["s"]["cpu_pressure"] == json{{"n", 10}, {"median", 0.05}, {"max", 0.05}});

  Run busy;  // 1.2 s on a machine where some task waited for a CPU 75% of the time
  busy.ready_ns = 1'200'000'000;
  busy.cpu_pressure = 0.75;  // a slowdown of (1/0.25) / (1/0.95) = 3.8
  auto d = judge(b, busy);
  INFO(all(d));
  CHECK(d.same());
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0] == "the interval's high end stretched x3.8 for this run's CPU pressure 75% (the baseline's 5%): 1 duration "
                      "inside the interval only so: subject 'app' ready after");

  // The same time on a machine as quiet as the baseline's is a difference, with no note.
  busy.cpu_pressure = 0.05;
  d = judge(b, busy);
  REQUIRE(d.differences.size() == 1);
  CHECK(d.notes.empty());
  CHECK(d.differences[0].message.find("stretched") == std::string::npos);

  // Past the stretched interval (400.45 ms x 3.8 and half of that) it is still a difference,
  // and its message says how far the interval was stretched: a slower daemon is not excused
  // by a busy machine.
  Run slower;
  slower.ready_ns = 2'500'000'000;
  slower.cpu_pressure = 0.75;
  d = judge(b, slower);
  INFO(all(d));
  REQUIRE(d.differences.size() == 1);
  CHECK(d.differences[0].message.find("2.5s, outside the 99% interval 150ms .. 2.28s of 10 baseline runs") == 0);
  CHECK(d.differences[0].message.ends_with("; the interval's high end stretched x3.8 for this run's CPU pressure 75% (the baseline's 5%)"));

  // A small time that drifts by more than the absolute floor is a difference however busy the
  // machine: the floor (a scheduler's stall) is not stretched.
  auto quick = learn([] {
    auto r = unchanged(10);
    for (auto& x : r) x.cpu_pressure = 0.05;
    return r;
  }());
  Run drift;
  drift.ready_ns = 5'450'000 + 300'000'000;
  drift.cpu_pressure = 0.75;
  d = judge(quick, drift);
  INFO(all(d));
  REQUIRE(d.differences.size() == 1);
  CHECK(d.differences[0].message.find("305ms, outside the 99% interval 0ns .. 271ms of 10 baseline runs") == 0);

  // A run without the figure (an older journal, or no PSI) is judged as before, and so is
  // one judged with --ignore-cpu-pressure.
  busy.cpu_pressure.reset();
  CHECK_FALSE(judge(b, busy).same());
  busy.cpu_pressure = 0.75;
  BaselineOptions measured;
  measured.floors.use_cpu_pressure = false;
  CHECK_FALSE(judge(b, busy, measured).same());
}
