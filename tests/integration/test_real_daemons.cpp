// bbx on daemons nobody here wrote (Debian's redis-server, haproxy, collectd, nginx, gunicorn;
// scripts/setup installs them): scenarios/real/ passes in both isolation modes, and each of
// its failing variants (tests/cases/real/, which reuse the scenarios' fragments) fails with
// exactly the first cause, later failures and tally a user would read. Times, pids, seqs,
// ports and sandbox paths vary between runs; everything else is asserted as printed.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// The daemons must be installed: without them these tests (and scenarios/real/) fail, saying
// what to run.
void require_daemons() {
  for (const char* tool : {"redis-server", "redis-cli", "haproxy", "collectd", "nginx", "gunicorn", "socat"}) {
    auto r = run_command({"/bin/sh", "-c", std::string("command -v ") + tool + " || test -x /usr/sbin/" + tool});
    std::string why = std::string(tool) + " is not installed: scripts/setup installs the daemons of scenarios/real/";
    REQUIRE_MESSAGE(r.exit_code == 0, why);
  }
}

// The console with what varies replaced: harness normalised() (seqs, #N, pids) plus the
// first cause's time, ports, the run directory and nginx's timestamp and pid prefix.
std::string stable(const std::string& out, const std::filesystem::path& runs) {
  std::string s = replaced(out, std::filesystem::weakly_canonical(runs).string(), "RUNS");
  s = replaced(s, runs.string(), "RUNS");
  s = std::regex_replace(s, std::regex("first cause at \\+[0-9.]+s"), "first cause at +T");
  s = std::regex_replace(s, std::regex("/[0-9]{8}-[0-9]{6}-[0-9]{3}/"), "/RUN/");
  s = std::regex_replace(s, std::regex("[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9:]{8} \\[emerg\\] [0-9]+#[0-9]+"),
                         "DATE [emerg] P#P");
  return normalised(s);
}

struct Failure {
  ScenarioRun run;
  std::string out;  // stable(console)
};

Failure run_failing(const std::string& name, const std::vector<std::string>& options = {}) {
  require_daemons();
  Failure f;
  auto runs = fresh_dir("runs-real-" + name);
  f.run = run_scenario_file("tests/cases/real/" + name + ".yaml", runs, options);
  f.out = stable(f.run.result.out, runs);
  return f;
}

void check_blocks(const Failure& f, const std::vector<std::string>& blocks) {
  INFO(f.run.result.out, f.run.result.err);
  CHECK(f.run.result.exit_code == 1);
  for (const auto& b : blocks) CHECK_MESSAGE(f.out.find(b) != std::string::npos, b);
}

}  // namespace

TEST_CASE("scenarios/real/ passes with namespaces and with --isolation none") {
  require_daemons();
  for (const auto& mode : isolation_modes()) {
    auto runs = fresh_dir("runs-real-pass-" + mode);
    auto r = run_bbx({"run", "-j2", "--isolation", mode, "--runs-dir", runs.string(), "scenarios/real/"},
                     std::chrono::seconds(120));
    INFO(mode, r.out, r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("5 scenarios: 5 passed, 0 failed") != std::string::npos);
  }
}

TEST_CASE("redis-server restarted without SAVE: the GET after the restart shows the key is gone, and no dump.rdb") {
  auto f = run_failing("redis_restart_without_save");
  check_blocks(f, {
      "FAIL  redis-server loses what was never saved  (",
      "  first cause at +T (#N): step 3 'command redis-cli' stdout (tests/cases/real/redis_restart_without_save.yaml:11:5): "
      "expected \"hello\\n\", got \"\\n\"\n"
      "    tests/cases/real/redis_restart_without_save.yaml:11:5: step 'command redis-cli' stdout\n"
      "      expected: \"hello\\n\"\n"
      "      actual:   \"\\n\"\n",
      "  1 later failure, likely a consequence of the first cause:\n"
      "    tests/cases/real/redis_restart_without_save.yaml:14:11: file 'dump.rdb': expected exists, got absent (#N)\n",
      "  tally: 2 expectations: 1 passed, 1 failed; 3 steps: 1–2 passed, 3 failed\n",
  });
  // redis really restarted: two processes, each ready by its own log line.
  CHECK(count_of(f.run.events, "subject.ready") == 2);
}

TEST_CASE("haproxy retrying only connection failures: the reset reaches the client as haproxy's own 502") {
  auto f = run_failing("haproxy_no_retry_on_reset");
  const std::string bad_gateway =
      "\"<html><body><h1>502 Bad Gateway</h1>\\nThe server returned an invalid or incomplete response.\\n</body></html>\\n\"";
  check_blocks(f, {
      "  first cause at +T (#N): step 2 'http GET http://127.0.0.1:${ports.haproxy}/b' status "
      "(tests/cases/real/haproxy_no_retry_on_reset.yaml:12:5): expected 200, got 502 with body " + bad_gateway + "\n",
      "  1 later failure, likely a consequence of the first cause:\n"
      "    tests/cases/real/haproxy_no_retry_on_reset.yaml:15:14: request at fake 'good': any method any path: "
      "expected exactly 2 matching, got 1 matching (#N)\n",
      "  another failure:\n"
      "    tests/cases/real/haproxy_no_retry_on_reset.yaml:12:5: step 'http GET http://127.0.0.1:${ports.haproxy}/b' body\n"
      "      expected: \"from good /b\\n\"\n"
      "      actual:   " + bad_gateway + "\n",
      "  tally: 1 expectation: 0 passed, 1 failed; 2 steps: 1 passed, 2 failed\n",
  });
  // The bad upstream did get the request and reset it: the 502 is haproxy's, not the fake's.
  const auto* reset = first_of(f.run.events, "http.response", [](const Event& e) {
    return e.source.name == "bad" && e.body.value("fault", "") == "reset";
  });
  CHECK(reset != nullptr);
}

TEST_CASE("collectd escapes the dot in a statsd name: the near miss is the escaped graphite path") {
  auto f = run_failing("collectd_dotted_name");
  check_blocks(f, {
      "  first cause at +T (#N): metric at fake 'carbon': collectd.bbx.statsd.gauge-queue.depth "
      "(tests/cases/real/collectd_dotted_name.yaml:12:13): expected last 42, got last n/a over 0 samples; "
      "closest: collectd.bbx.statsd.gauge-queue_depth (gauge) x",
      "(seq N): name differs by 1 edit\n"
      "    tests/cases/real/collectd_dotted_name.yaml:12:13: metric at fake 'carbon': collectd.bbx.statsd.gauge-queue.depth\n"
      "      expected: last 42\n",
      "  tally: 2 expectations: 1 passed, 1 failed; 1 step passed\n",
  });
}

TEST_CASE("nginx after a broken reload: still the old body, and its [emerg] line is the unexpected error") {
  auto f = run_failing("nginx_broken_reload", {"--isolation", "none"});
  check_blocks(f, {
      "  first cause at +T (#N): step 5 'http GET http://127.0.0.1:${ports.nginx}/' body "
      "(tests/cases/real/nginx_broken_reload.yaml:14:5): expected \"v2\\n\", got \"v1\\n\"\n"
      "    tests/cases/real/nginx_broken_reload.yaml:14:5: step 'http GET http://127.0.0.1:${ports.nginx}/' body\n"
      "      expected: \"v2\\n\"\n"
      "      actual:   \"v1\\n\"\n",
      "  1 later failure, likely a consequence of the first cause:\n"
      "    tests/cases/real/nginx_broken_reload.yaml:17:10: log of subject 'nginx' (both): error lines "
      "/\\[(emerg|alert|crit|error)\\]/: expected no error lines, got 1 unexpected error line: seq N "
      "\"DATE [emerg] P#P: unexpected \\\"}\\\" in RUNS/RUN/nginx_keeps_its_old_config_after_a_broken_reload/sandbox/"
      "site.conf:1\" (#N)\n",
      "  tally: 1 expectation: 0 passed, 1 failed; 5 steps: 1–4 passed, 5 failed\n",
  });
  // The master survived the broken reload: no process of nginx exited before the stop.
  const auto* stop = first_of(f.run.events, "process.signal", [](const Event& e) { return e.body.value("reason", "") == "stop"; });
  REQUIRE(stop != nullptr);
  CHECK(first_of(f.run.events, "process.exit", [&](const Event& e) { return e.seq < stop->seq; }) == nullptr);
}

TEST_CASE("gunicorn names the status instead of tagging it: the near miss shows the tags it sent") {
  auto f = run_failing("gunicorn_status_tag");
  check_blocks(f, {
      "  first cause at +T (#N): metric at fake 'metrics': web.gunicorn.requests (counter) #status:500 "
      "(tests/cases/real/gunicorn_status_tag.yaml:14:13): expected sum 1, got sum n/a over 0 samples; "
      "closest: web.gunicorn.requests (counter, #env:test) x1 (seq N): tag status:500 missing (its tags: env:test); ",
      "  tally: 1 expectation: 0 passed, 1 failed; 2 steps passed\n",
  });
  // What gunicorn sent instead: the status in the name, with the same tag.
  const auto* by_name = first_of(f.run.events, "statsd.datagram", [](const Event& e) {
    return e.body.dump().find("web.gunicorn.request.status.500") != std::string::npos;
  });
  CHECK(by_name != nullptr);
}
