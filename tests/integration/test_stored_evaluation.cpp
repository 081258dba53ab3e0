// Expectations evaluated after the fact, against a finished run's stored journal (and its
// kept sandbox), agree with what the live run concluded: every expectation of the assert
// corpora, passing and failing, gets the same verdict and the same expected text; live
// probes come back as the run recorded them.
#include <doctest/doctest.h>

#include <fstream>
#include <map>

#include "assert/evaluate.hpp"
#include "harness.hpp"
#include "journal/stored_journal.hpp"
#include "scenario/loader.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

struct LiveCheck {
  bool passed;
  std::string expected;
};

// result.json's checks by their location (the last one wins, as for a within re-check).
std::map<std::string, LiveCheck> live_checks(const std::filesystem::path& dir) {
  std::ifstream in(dir / "result.json");
  auto result = nlohmann::json::parse(in);
  std::map<std::string, LiveCheck> out;
  for (const auto& c : result.at("checks"))
    out[c.at("where").get<std::string>()] = {c.at("passed").get<bool>(), c.at("expected").get<std::string>()};
  return out;
}

// probes_only: every expectation is a live probe, so each must come back as recorded.
void compare(const std::string& file, bool probes_only = false) {
  CAPTURE(file);
  auto runs = fresh_dir("stored-eval") / "runs";
  auto run = run_scenario_file(file, runs, {"--keep", "-j", "1"});
  REQUIRE(!run.dir.empty());
  auto scenarios = scenario::load_scenario_file(file);
  REQUIRE(scenarios.size() == 1);
  const auto& s = scenarios[0];
  auto live = live_checks(run.dir);
  journal::StoredJournal stored(run.dir / "events.jsonl");
  std::optional<std::filesystem::path> sandbox;
  if (std::filesystem::exists(run.dir / "sandbox")) sandbox = run.dir / "sandbox";
  int evaluated = 0;
  for (const auto& e : s.expect) {
    auto where = e.where.to_string();
    CAPTURE(where);
    auto verdict = assertions::evaluate_stored(s, stored, e, sandbox);
    auto it = live.find(where);
    if (it == live.end()) {  // not judged live (a halted run's skipped within): nothing to agree with
      CHECK(verdict.result.passed == false);
      continue;
    }
    CHECK(verdict.how != assertions::StoredVerdict::How::unavailable);
    CHECK_MESSAGE(verdict.result.passed == it->second.passed, verdict.result.actual);
    if (probes_only) CHECK(verdict.how == assertions::StoredVerdict::How::recorded);
    if (verdict.how == assertions::StoredVerdict::How::evaluated) {
      CHECK(verdict.result.expected == it->second.expected);
      ++evaluated;
    }
  }
  if (!probes_only) CHECK(evaluated > 0);
}

}  // namespace

TEST_CASE("a stored run's expectations evaluate as the live run judged them: passing corpora") {
  for (const char* kind : {"request", "metric", "log", "exit", "sequence", "during", "file", "resources", "all_kinds"})
    compare(std::string("tests/cases/passing/assert_") + kind + ".yaml");
  for (const char* kind : {"listening", "process", "command"})
    compare(std::string("tests/cases/passing/assert_") + kind + ".yaml", true);
}

TEST_CASE("a stored run's expectations evaluate as the live run judged them: failing corpora") {
  for (const char* kind : {"request", "metric", "log", "exit", "sequence", "during", "file", "resources"})
    compare(std::string("tests/cases/failing/assert_") + kind + ".yaml");
  compare("tests/cases/failing/assert_listening.yaml", true);
}
