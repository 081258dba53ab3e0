// Supervisor on a real loop: restart after stop, tree queries, daemon detection, and exit
// attribution through the subreaper shim (bbx-supervise, built beside the test binary).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "journal/journal.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace {

using Clock = std::chrono::steady_clock;

bbx::Scenario scenario_with(const std::string& id, const std::string& script) {
  bbx::Scenario sc;
  sc.id = sc.name = id;
  sc.file = std::filesystem::temp_directory_path() / "scenario.yaml";
  bbx::model::Subject s;
  s.name = "app";
  s.shell = bbx::model::Template{script, {}};
  s.stop.grace = std::chrono::milliseconds(500);
  sc.subjects.push_back(s);
  return sc;
}

struct Rig {
  explicit Rig(const bbx::Scenario& sc)
      : dir(std::filesystem::temp_directory_path() / ("bbx-sup-" + sc.id + "-" + std::to_string(::getpid()))),
        journal((std::filesystem::create_directories(dir / "sandbox"), dir / "events.jsonl")),
        ctx(sc, journal, dir, dir / "sandbox", "none"),
        sup(ctx) {}
  ~Rig() {
    sup.kill_everything();
    std::filesystem::remove_all(dir);
  }
  bool wait(const std::function<bool()>& pred) { return ctx.run_until(pred, Clock::now() + std::chrono::seconds(5)); }

  std::filesystem::path dir;
  bbx::journal::Journal journal;
  bbx::runtime::RunContext ctx;
  bbx::process::Supervisor sup;
};

}  // namespace

TEST_CASE("a subject can be started again after it was stopped; state() is the latest instance") {
  auto sc = scenario_with("restart", "exec sleep 30");
  Rig rig(sc);
  pid_t first = rig.sup.start(sc.subjects[0]);
  CHECK(rig.sup.running("app"));
  CHECK(rig.sup.tree_of("app") == std::vector<pid_t>{first});
  rig.sup.stop(sc.subjects[0]);
  CHECK_FALSE(rig.sup.running("app"));
  CHECK(rig.sup.state("app")->exit->describe() == "killed by SIGTERM");
  CHECK(rig.sup.tree_of("app").empty());

  pid_t second = rig.sup.start(sc.subjects[0]);
  CHECK(second != first);
  CHECK(rig.sup.running("app"));
  CHECK(rig.sup.state("app")->pid == second);
  CHECK_FALSE(rig.sup.state("app")->exit);
  rig.sup.stop(sc.subjects[0]);
  CHECK_FALSE(rig.sup.running("app"));
}

TEST_CASE("tree_of lists children and grandchildren; a daemonizing main process hands over") {
  // The main shell starts a background pipeline and exits 0: the subject has daemonized.
  auto sc = scenario_with("daemon", "(sleep 30 | sleep 31) & exit 0");
  Rig rig(sc);
  pid_t launcher = rig.sup.start(sc.subjects[0]);
  bool unexpected = false;
  rig.sup.set_on_unexpected_exit([&](const bbx::process::SubjectState&) { unexpected = true; });
  REQUIRE(rig.wait([&] { return rig.sup.state("app")->pid != launcher; }));
  CHECK_FALSE(unexpected);
  CHECK(rig.sup.running("app"));
  // The subshell forks the two sleeps on its own schedule (the subshell may exec one).
  CHECK(rig.wait([&] { return rig.sup.tree_of("app").size() >= 2; }));
  auto tree = rig.sup.tree_of("app");
  CHECK(std::find(tree.begin(), tree.end(), rig.sup.state("app")->pid) != tree.end());
  rig.sup.stop(sc.subjects[0]);
  CHECK(rig.sup.tree_of("app").empty());
}

TEST_CASE("a main process exiting non-zero while it should run is reported once") {
  auto sc = scenario_with("crash", "exit 7");
  Rig rig(sc);
  int calls = 0;
  rig.sup.set_on_unexpected_exit([&](const bbx::process::SubjectState& s) {
    ++calls;
    CHECK(s.exit->describe() == "exited with code 7");
  });
  rig.sup.start(sc.subjects[0]);
  CHECK(rig.wait([&] { return calls > 0; }));
  CHECK(calls == 1);
}

TEST_CASE("a subject that died before its stop is reported as a crash, not taken for the stop's exit") {
  auto sc = scenario_with("died-before-stop", "sleep 0.1; exit 70");
  Rig rig(sc);
  int calls = 0;
  rig.sup.set_on_unexpected_exit([&](const bbx::process::SubjectState& s) {
    ++calls;
    CHECK(s.exit->describe() == "exited with code 70");
  });
  rig.sup.start(sc.subjects[0]);
  // The loop is not pumped meanwhile: the exit's report waits unread, as it does while a run
  // checks its expectations, until the stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  rig.sup.stop(sc.subjects[0]);
  CHECK(calls == 1);
  int stop_signals = 0;
  rig.journal.for_each_of({bbx::journal::ev::process_signal}, 1, [&](const bbx::Event&) { return ++stop_signals, true; });
  CHECK(stop_signals == 0);  // nothing was left to stop
}

TEST_CASE("settle_exits learns of a subject that died meanwhile, and of nothing when all live") {
  auto sc = scenario_with("settle", "sleep 0.1; exit 9");
  Rig rig(sc);
  int calls = 0;
  rig.sup.set_on_unexpected_exit([&](const bbx::process::SubjectState&) { ++calls; });
  rig.sup.start(sc.subjects[0]);
  CHECK_FALSE(rig.sup.settle_exits());  // alive: returns at once
  CHECK(calls == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  CHECK(rig.sup.settle_exits());
  CHECK(calls == 1);
  CHECK_FALSE(rig.sup.settle_exits());  // reported already
}

TEST_CASE("tty: stdout and stderr are pseudo-terminals, still apart, read to the end") {
  auto sc = scenario_with("tty", "test -t 1 && echo out-is-a-tty; test -t 2 && echo err-is-a-tty >&2; printf 'no newline'");
  sc.subjects[0].tty = true;
  sc.subjects[0].run_once = true;
  Rig rig(sc);
  rig.sup.start(sc.subjects[0]);
  REQUIRE(rig.wait([&] { return rig.sup.state("app")->open_streams == 0; }));
  std::vector<std::string> lines;
  rig.journal.for_each_of({bbx::journal::ev::output_line}, 1, [&](const bbx::Event& e) {
    lines.push_back(e.body["stream"].get<std::string>() + ":" + e.body["line"].get<std::string>());
    return true;
  });
  std::sort(lines.begin(), lines.end());
  CHECK(lines == std::vector<std::string>{"stderr:err-is-a-tty", "stdout:no newline", "stdout:out-is-a-tty"});
}

TEST_CASE("note_written_files remembers the files the subject's tree writes") {
  auto sc = scenario_with("written", "exec 3>>app.log; echo started >&3; exec sleep 30");
  Rig rig(sc);
  rig.sup.start(sc.subjects[0]);
  REQUIRE(rig.wait([&] { return std::filesystem::exists(rig.dir / "sandbox" / "app.log"); }));
  std::vector<std::string> written;
  for (int i = 0; i < 100 && written.empty(); ++i) {  // the exec of sleep may still be under way
    rig.sup.note_written_files("app");
    written = rig.sup.state("app")->written_files;
    if (written.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(written == std::vector<std::string>{(rig.dir / "sandbox" / "app.log").string()});
  rig.sup.stop(sc.subjects[0]);
}
