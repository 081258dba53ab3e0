// Supervisor on a real loop: restart after stop, tree queries, daemon detection, and exit
// attribution through the subreaper shim (bbx-supervise, built beside the test binary).
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>

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
