// resources: sampling and the `resources:` expectation end to end through `bbx run` against
// bbx-fixture (a memory leak, a CPU spin). Peaks, times and seqs vary with the machine, so
// the failure text is matched with regexes for the numbers only.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const std::string kNum = "[0-9]+";
const std::string kTime = "t=[0-9]+\\.[0-9]{3}s";

// Regex-escapes the literal parts: every character of the block except the placeholders
// @N (a number), @T (a time "t=1.234s"), @S (a size "62.9MiB"), @C (a CPU time "480ms" or "1.20s").
std::regex block(const std::string& text) {
  std::string re;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '@' && i + 1 < text.size()) {
      char k = text[++i];
      re += k == 'N' ? kNum : k == 'T' ? kTime : k == 'S' ? "[0-9.]+(B|KiB|MiB|GiB)" : "[0-9.]+(ms|s)";
      continue;
    }
    if (std::string("\\^$.|?*+()[]{}").find(text[i]) != std::string::npos) re += '\\';
    re += text[i];
  }
  return std::regex(re);
}

}  // namespace

TEST_CASE("resources: samples each subject's tree, passes within ranges, peaks in summary.json, rows in samples.csv") {
  auto run = run_scenario_file("tests/cases/passing/assert_resources.yaml", fresh_dir("runs-assert-resources-passing"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  CHECK(run.result.out.find("PASS  assert resources passes") != std::string::npos);
  auto app = events_of(run.events, "resource.sample", "app");
  for (const auto& e : app) {
    CHECK(e.body.at("processes").get<int>() >= 1);
    CHECK(e.body.contains("rss_bytes"));
    CHECK(e.body.contains("cpu_ms"));
    CHECK(e.body.contains("fds"));
    CHECK(e.body.contains("threads"));
  }
  auto sampler = events_of(run.events, "resource.sampler");
  for (const auto& e : sampler) CHECK(e.body.at("samples").get<std::size_t>() >= app.size());
  CHECK(app.size() >= 3);
  CHECK(count_of(run.events, "resource.sample", "quiet") == 0);  // sample: off
  CHECK(sampler.size() == 1);
  auto peaks = run.summary.at("scenarios").at(0).at("resources");
  CHECK_FALSE(peaks.contains("quiet"));
  auto a = peaks.at("app");
  CHECK(a.at("max_rss_bytes").get<std::uint64_t>() >= 20u * 1024 * 1024);
  CHECK(a.at("max_fds").get<int>() >= 3);
  CHECK(a.at("max_threads").get<int>() >= 1);
  CHECK(a.at("samples").get<std::size_t>() == app.size());
  CHECK(a.contains("cpu_ms"));
  auto csv = read_file(run.dir / "samples.csv");
  CHECK(csv.rfind("seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes\n", 0) == 0);
  CHECK(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')) == app.size() + 1);
}

TEST_CASE("resources: a memory leak over max_rss and a CPU spin over cpu fail citing the peak and its seq") {
  auto run = run_scenario_file("tests/cases/failing/assert_resources.yaml", fresh_dir("runs-assert-resources-failing"));
  check_console(run.result, 1, {"FAIL  assert resources fails"});
  INFO(run.result.out, run.result.err);
  const std::string f = "    tests/cases/failing/assert_resources.yaml:";
  for (const auto& b : {
           f + "12:16: resources of subject 'leaky'\n"
               "      expected: max_rss < 32MiB, fds <= 64\n"
               "      actual:   max_rss peak @S at @T (seq @N), not < 32MiB; fds peak @N at @T (seq @N); @N samples\n"
               "      events:   #@N\n",
           f + "13:16: resources of subject 'spinner'\n"
               "      expected: cpu < 40ms, threads <= 8\n"
               "      actual:   cpu peak @C at @T (seq @N), not < 40ms; threads peak @N at @T (seq @N); @N samples\n"
               "      events:   #@N\n"})
    CHECK_MESSAGE(std::regex_search(run.result.out, block(b)), b);
}
