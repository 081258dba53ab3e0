// Parallelism changes how long a run takes, never what it concludes: the example scenarios
// get the same verdict per scenario at -j1 and at -j2.
#include <doctest/doctest.h>

#include <map>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

std::map<std::string, std::string> verdicts(const std::string& jobs) {
  auto runs = fresh_dir("parallel-verdicts" + jobs) / "runs";
  auto r = run_bbx({"run", jobs, "--runs-dir", runs.string(), "scenarios/"}, std::chrono::seconds(180));
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  std::map<std::string, std::string> out;
  auto summary = read_summary(runs);
  for (const auto& s : summary["scenarios"]) out[s["id"].get<std::string>()] = s["verdict"].get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("scenarios/ gets the same verdicts at -j1 and -j2") {
  auto one = verdicts("-j1");
  auto two = verdicts("-j2");
  CHECK(one.size() >= 5);
  CHECK(one == two);
}
