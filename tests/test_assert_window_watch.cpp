// always:/never: windows sampled on a real loop: file probes in a temp sandbox, windows
// bounded by mark events appended to the journal by hand (as the mark step does).
#include <doctest/doctest.h>

#include <fstream>
#include <regex>

#include "assert/window_watch.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

using Clock = std::chrono::steady_clock;

model::EventMatch mark(const std::string& name) { return {model::MarkEvent{name}, {}}; }

model::Expectation file_window(const std::string& path, bool never, std::optional<model::EventMatch> to) {
  model::FileExpectation f;
  f.path = path;
  model::Expectation e{f, std::nullopt, here(), std::nullopt};
  e.sampled = model::SampledWindow{{mark("a"), std::move(to)}, never, here()};
  return e;
}

struct Rig {
  explicit Rig(const std::string& name, std::vector<model::Expectation> expect)
      : dir(unit_temp_dir("window-" + name)),
        journal(dir / "events.jsonl"),
        scenario([&] {
          Scenario s;
          s.id = s.name = name;
          s.expect = std::move(expect);
          return s;
        }()),
        ctx(scenario, journal, dir, (std::filesystem::create_directories(dir / "sandbox"), dir / "sandbox"), "none"),
        sup(ctx),
        watches(ctx, sup) {}
  void mark_step(const std::string& name) {
    journal.append({"step", "mark " + name, 0}, bbx::journal::ev::mark, {{"name", name}});
    watches.poll();
  }
  void pump(std::chrono::milliseconds d) { ctx.run_until([] { return false; }, Clock::now() + d); }
  void write(const std::string& file) { std::ofstream(dir / "sandbox" / file) << "x"; }
  CheckResult result(std::size_t i) { return watches.result(scenario.expect[i]); }

  std::filesystem::path dir;
  journal::Journal journal;
  Scenario scenario;
  runtime::RunContext ctx;
  process::Supervisor sup;
  assertions::WindowWatches watches;
};

std::string timeless(const std::string& s) { return std::regex_replace(s, std::regex("[0-9]+ms"), "Tms"); }

}  // namespace

TEST_CASE("always holds at every sample of a window between two marks, sampled by the timer") {
  Rig rig("always-pass", {file_window("f.txt", false, mark("b"))});
  rig.write("f.txt");
  rig.watches.start();
  rig.mark_step("a");
  rig.pump(std::chrono::milliseconds(180));
  rig.mark_step("b");
  std::filesystem::remove(rig.dir / "sandbox" / "f.txt");  // after the window: not sampled
  rig.pump(std::chrono::milliseconds(120));
  rig.watches.finish();
  auto r = rig.result(0);
  CHECK(r.passed);
  CHECK(r.what == "file 'f.txt' always during (mark 'a' .. mark 'b')");
  CHECK(r.expected == "at every sample: exists");
  CHECK(std::regex_match(r.actual, std::regex("held at all [2-9] samples over [0-9]+ms; window seq 1..seq 2")));
  CHECK(r.evidence == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("never fails at the first sample where it holds, journaled with its seq") {
  Rig rig("never-fail", {file_window("f.txt", true, std::nullopt)});
  rig.watches.start();
  rig.mark_step("a");
  rig.pump(std::chrono::milliseconds(60));
  rig.write("f.txt");
  rig.pump(std::chrono::milliseconds(120));
  rig.watches.finish();
  auto r = rig.result(0);
  CHECK_FALSE(r.passed);
  CHECK(r.what == "file 'f.txt' never during (mark 'a' .. end)");
  CHECK(r.expected == "at no sample: exists");
  CHECK(std::regex_match(timeless(r.actual), std::regex("held at sample [2-9] \\(seq 2, Tms into the window\\): exists")));
  REQUIRE(r.evidence.size() == 2);
  auto sample = rig.journal.at(r.evidence[1]);
  CHECK(sample.type == "probe.sample");
  CHECK(sample.body["held"] == true);
  CHECK(sample.body["actual"] == "exists");
  CHECK(rig.journal.size() == 2);  // no sample after the deciding one
}

TEST_CASE("always fails at the first sample where it does not hold; the mark sample comes right after the step") {
  Rig rig("always-fail", {file_window("f.txt", false, mark("b"))});
  rig.watches.start();
  rig.mark_step("a");  // sampled at once: the file is missing
  auto r = rig.watches.result(rig.scenario.expect[0]);
  CHECK_FALSE(r.passed);
  CHECK(timeless(r.actual) == "did not hold at sample 1 (seq 2, Tms into the window): absent");
  CHECK(r.expected == "at every sample: exists");
}

TEST_CASE("a window that never opened, or closed before any sample, fails") {
  Rig rig("never-opened", {file_window("f.txt", false, mark("b")), file_window("g.txt", true, mark("b"))});
  rig.watches.start();
  rig.pump(std::chrono::milliseconds(60));
  rig.watches.finish();
  auto r = rig.result(0);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "the window never opened: mark 'a' did not occur during the steps");

  Rig quick("closed-early", {file_window("f.txt", false, mark("b"))});
  quick.watches.start();
  quick.journal.append({"step", "mark a", 0}, bbx::journal::ev::mark, {{"name", "a"}});
  quick.journal.append({"step", "mark b", 0}, bbx::journal::ev::mark, {{"name", "b"}});
  quick.watches.poll();
  quick.watches.finish();
  r = quick.result(0);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "no sample was taken: the window seq 1..seq 2 closed before one (it was shorter than the "
                    "sampling interval, or ended before the steps began)");
}

TEST_CASE("a window without an end extends to the end of the steps; never passes naming the last sample") {
  Rig rig("until-end", {file_window("f.txt", true, std::nullopt)});
  rig.watches.start();
  rig.mark_step("a");
  rig.pump(std::chrono::milliseconds(70));
  rig.watches.finish();
  rig.write("f.txt");  // after the steps: not sampled
  rig.pump(std::chrono::milliseconds(70));
  auto r = rig.result(0);
  CHECK(r.passed);
  CHECK(std::regex_match(timeless(r.actual),
                         std::regex("did not hold at any of [2-9] samples over Tms; last: absent; window seq 1..end of steps")));
}
