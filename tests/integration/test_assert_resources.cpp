// resources: sampling and the `resources:` expectation end to end through `bbx run` against
// bbx-fixture (a memory leak, a CPU spin). Peaks, times and seqs vary with the machine, so
// the failure text is matched with regexes for the numbers only.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const std::string kNum = "[0-9]+";
const std::string kTime = "t=[0-9]+\\.[0-9]{3}s";

// Regex-escapes the literal parts: every character of the block except the placeholders
// @N (a number), @T (a time "t=1.234s"), @S (a size "62.9MiB"), @C (a CPU time "480ms" or "1.20s"),
// @P (a percentage "98.7%"), @D (seconds "1.234s").
std::regex block(const std::string& text) {
  std::string re;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '@' && i + 1 < text.size()) {
      char k = text[++i];
      re += k == 'N'   ? kNum
            : k == 'T' ? kTime
            : k == 'S' ? "[0-9.]+(B|KiB|MiB|GiB)"
            : k == 'P' ? "[0-9]+\\.[0-9]%"
            : k == 'D' ? "[0-9]+\\.[0-9]{3}s"
                       : "[0-9.]+(ms|s)";
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
  CHECK(csv.rfind("seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes,rss_peak_bytes,pss_bytes,"
                  "cpu_user_ms,cpu_system_ms,read_bytes,write_bytes,ctx_voluntary,ctx_involuntary,accounting\n",
                  0) == 0);
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

namespace {

// The number in the first log line of subject holding `marker`, after `marker`; -1 when none.
std::int64_t logged_number(const std::vector<Event>& events, const std::string& subject, const std::string& marker) {
  for (const auto& e : events_of(events, "output.line", subject)) {
    auto text = e.body.value("line", std::string());
    if (auto at = text.find(marker); at != std::string::npos) return std::stoll(text.substr(at + marker.size()));
  }
  return -1;
}

// Every sample's totals are monotonic and cpu_ms is user + system.
void check_totals(const std::vector<Event>& samples) {
  std::int64_t last[5] = {0, 0, 0, 0, 0};
  const char* keys[5] = {"cpu_ms", "read_bytes", "write_bytes", "ctx_voluntary", "ctx_involuntary"};
  for (const auto& e : samples) {
    CHECK(e.body.at("cpu_ms").get<std::int64_t>() ==
          e.body.at("cpu_user_ms").get<std::int64_t>() + e.body.at("cpu_system_ms").get<std::int64_t>());
    CHECK(e.body.at("rss_peak_bytes").get<std::int64_t>() >= e.body.at("rss_bytes").get<std::int64_t>());
    for (int i = 0; i < 5; ++i) {
      auto v = e.body.at(keys[i]).get<std::int64_t>();
      CHECK_MESSAGE(v >= last[i], keys[i], " went back at seq ", e.seq);
      last[i] = v;
    }
  }
}

// A tree that forks 20 children living 200 ms each: its CPU (the last sample's cpu_ms) is within
// 5% of what the children measured themselves (plus the fixture's own few milliseconds).
void check_children_accounted(const std::string& file, const std::vector<std::string>& options,
                              const std::string& accounting) {
  auto run = run_scenario_file(file, fresh_dir("runs-resources-children"), options);
  INFO(file, " ", (options.empty() ? std::string() : options.back()), run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto used_us = logged_number(run.events, "app", "spin children done: 20 children used ");
  REQUIRE(used_us > 0);
  auto samples = events_of(run.events, "resource.sample", "app");
  REQUIRE(samples.size() >= 3);
  check_totals(samples);
  const auto& last = samples.back().body;
  CHECK(last.at("accounting") == accounting);
  double tree_ms = last.at("cpu_ms").get<double>(), children_ms = double(used_us) / 1000;
  INFO("tree cpu_ms ", tree_ms, ", the children's own ", children_ms, " ms");
  CHECK(tree_ms >= children_ms * 0.95);
  CHECK(tree_ms <= children_ms * 1.05 + 30);  // + the fixture's own startup (the forks are in children_ms)
  bool spinner_seen = false;  // some spinners are caught alive, as processes of the tree
  for (const auto& e : samples)
    for (const auto& p : e.body.at("procs")) spinner_seen = spinner_seen || p.at("comm") == "fixture-spinner";
  CHECK(spinner_seen);
}

}  // namespace

TEST_CASE("resources: twenty short-lived children are accounted within 5% of the CPU they measured themselves") {
  for (const auto& mode : isolation_modes()) {
    check_children_accounted("tests/cases/passing/resources_spin_children.yaml", {"--isolation", mode}, "cgroup");
    check_children_accounted("tests/cases/passing/resources_spin_orphans.yaml", {"--isolation", mode}, "cgroup");
  }
}

TEST_CASE("resources: without cgroups (accounting proc) short-lived children and orphans are still accounted") {
  struct NoCgroups {  // bbx inherits the test's environment
    NoCgroups() { ::setenv("BBX_CGROUPS", "off", 1); }
    ~NoCgroups() { ::unsetenv("BBX_CGROUPS"); }
  } off;
  check_children_accounted("tests/cases/passing/resources_spin_children.yaml", {}, "proc");
  check_children_accounted("tests/cases/passing/resources_spin_orphans.yaml", {}, "proc");
}

TEST_CASE("resources: the peak of a 100ms memory burst is within 5% of the process's VmHWM") {
  auto run = run_scenario_file("tests/cases/passing/resources_burst.yaml", fresh_dir("runs-resources-burst"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto hwm_kb = logged_number(run.events, "app", "VmHWM ");
  REQUIRE(hwm_kb > 64 * 1024);
  auto samples = events_of(run.events, "resource.sample", "app");
  std::int64_t peak = 0;
  for (const auto& e : samples) peak = std::max(peak, e.body.at("rss_peak_bytes").get<std::int64_t>());
  double hwm = double(hwm_kb) * 1024;
  INFO("rss_peak_bytes ", peak, ", VmHWM ", hwm);
  CHECK(double(peak) >= hwm * 0.95);
  CHECK(double(peak) <= hwm * 1.05 + 2 * 1024 * 1024);  // + the shim-free tree's other pages (none expected)
  auto peaks = run.summary.at("scenarios").at(0).at("resources").at("app");
  CHECK(peaks.at("rss_peak_bytes").get<std::int64_t>() == peak);
  CHECK(peaks.at("rss_peak_bytes").get<std::int64_t>() > peaks.at("max_rss_bytes").get<std::int64_t>());  // missed by rss
}

TEST_CASE("resources: a double-forking subject is still measured, its spin seen in the samples") {
  auto run = run_scenario_file("tests/cases/passing/resources_daemon.yaml", fresh_dir("runs-resources-daemon"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto daemon = logged_number(run.events, "app", "daemonized pid=");
  REQUIRE(daemon > 0);
  auto samples = events_of(run.events, "resource.sample", "app");
  REQUIRE(samples.size() >= 4);
  check_totals(samples);
  const auto& last = samples.back().body;
  CHECK(last.at("processes") == 1);
  REQUIRE(last.at("procs").size() == 1);
  CHECK(last.at("procs").at(0).at("pid") == daemon);
  CHECK(last.at("procs").at(0).at("cpu_ms").get<std::int64_t>() >= 30);
  auto peaks = run.summary.at("scenarios").at(0).at("resources").at("app");
  CHECK(peaks.at("avg_cpu_percent").get<double>() > 5);
  CHECK(peaks.at("max_cpu_percent").get<double>() >= peaks.at("avg_cpu_percent").get<double>());
  auto procs_csv = read_file(run.dir / "samples_procs.csv");
  CHECK(procs_csv.find(",app," + std::to_string(daemon) + ",") != std::string::npos);
}

TEST_CASE("resources: a leak's PSS, a spin's CPU percent and a writer's I/O fail citing values and seqs") {
  auto run = run_scenario_file("tests/cases/failing/assert_resources_profile.yaml",
                               fresh_dir("runs-assert-resources-profile"));
  check_console(run.result, 1, {"FAIL  assert resources profile fails"});
  INFO(run.result.out, run.result.err);
  const std::string f = "    tests/cases/failing/assert_resources_profile.yaml:";
  for (const auto& b : {
           f + "15:16: resources of subject 'leaky'\n"
               "      expected: max_pss < 16MiB\n"
               "      actual:   max_pss peak @S at @T (seq @N), not < 16MiB; @N samples\n"
               "      events:   #@N\n",
           f + "16:16: resources of subject 'spinner'\n"
               "      expected: cpu_percent < 5\n"
               "      actual:   cpu_percent @P over t=@D..@D (seqs @N..@N), not < 5; @N samples\n"
               "      events:   #@N #@N\n",
           f + "17:16: resources of subject 'writer'\n"
               "      expected: read_bytes >= 2MiB, write_bytes < 1MiB\n"
               "      actual:   read_bytes @S at @T (seq @N); write_bytes @S at @T (seq @N), not < 1MiB; @N samples\n"
               "      events:   #@N\n"})
    CHECK_MESSAGE(std::regex_search(run.result.out, block(b)), b);
  auto leaky = events_of(run.events, "resource.sample", "leaky");  // the leak, seen in the samples
  REQUIRE(leaky.size() >= 3);
  CHECK(leaky.back().body.at("rss_bytes").get<std::int64_t>() > leaky.front().body.at("rss_bytes").get<std::int64_t>() + 16 * 1024 * 1024);
  auto writer = events_of(run.events, "resource.sample", "writer");
  REQUIRE_FALSE(writer.empty());
  CHECK(writer.back().body.at("write_bytes").get<std::int64_t>() >= 3000000);  // head's, reaped by sh
}

TEST_CASE("resources: PSS is read on each instance's first sample, so a restart's instance has it within 1 s") {
  auto run = run_scenario_file("tests/cases/passing/assert_resources_restart.yaml",
                               fresh_dir("runs-assert-resources-restart"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  std::set<int> pids_with_pss;
  for (const auto& e : events_of(run.events, "resource.sample", "app"))
    if (e.body.contains("pss_bytes")) pids_with_pss.insert(e.source.pid);
  CHECK(pids_with_pss.size() == 2);  // the first instance and the restarted one
}
