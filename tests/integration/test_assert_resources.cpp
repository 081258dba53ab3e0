// resources: sampling and the `resources:` expectation end to end through `bbx run` against
// bbx-fixture (a memory leak, a CPU spin). Peaks, times and seqs vary with the machine, so
// the failure text is matched with regexes for the numbers only.
#include <doctest/doctest.h>

#include <algorithm>
#include <regex>

#include <nlohmann/json.hpp>

#include "harness.hpp"
#include "read_journal.hpp"

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
  auto runs = fresh_dir("runs-assert-resources-passing");
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "tests/cases/passing/assert_resources.yaml"});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("PASS  assert resources passes") != std::string::npos);
  auto journal = bbx::testing::read_journal(runs / "latest" / "assert_resources_passes" / "events.jsonl");
  int app = 0, quiet = 0, sampler = 0;
  for (const auto& e : journal.events) {
    if (e.type == "resource.sample" && e.source.name == "app") {
      ++app;
      CHECK(e.body.at("processes").get<int>() >= 1);
      CHECK(e.body.contains("rss_bytes"));
      CHECK(e.body.contains("cpu_ms"));
      CHECK(e.body.contains("fds"));
      CHECK(e.body.contains("threads"));
    }
    if (e.type == "resource.sample" && e.source.name == "quiet") ++quiet;  // sample: off
    if (e.type == "resource.sampler") {
      ++sampler;
      CHECK(e.body.at("samples").get<int>() >= app);
    }
  }
  CHECK(app >= 3);
  CHECK(quiet == 0);
  CHECK(sampler == 1);
  auto summary = nlohmann::json::parse(read_file(runs / "latest" / "summary.json"));
  auto peaks = summary.at("scenarios").at(0).at("resources");
  CHECK_FALSE(peaks.contains("quiet"));
  auto a = peaks.at("app");
  CHECK(a.at("max_rss_bytes").get<std::uint64_t>() >= 20u * 1024 * 1024);
  CHECK(a.at("max_fds").get<int>() >= 3);
  CHECK(a.at("max_threads").get<int>() >= 1);
  CHECK(a.at("samples").get<int>() == app);
  CHECK(a.contains("cpu_ms"));
  auto csv = read_file(runs / "latest" / "assert_resources_passes" / "samples.csv");
  CHECK(csv.rfind("seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes\n", 0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == app + 1);
}

TEST_CASE("resources: a memory leak over max_rss and a CPU spin over cpu fail citing the peak and its seq") {
  auto runs = fresh_dir("runs-assert-resources-failing");
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "tests/cases/failing/assert_resources.yaml"});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("FAIL  assert resources fails") != std::string::npos);
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
    CHECK_MESSAGE(std::regex_search(r.out, block(b)), b);
}
