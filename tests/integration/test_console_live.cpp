// The console while scenarios run: a still-running line saying what a slow scenario does,
// -v streaming its events, -q keeping only failures, and a status line on terminals only.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kSlow = R"(name: slow one
subjects:
  app:
    command: [bbx-fixture, --log-line, "started"]
    ready: {log: started, within: 5s}
steps:
  - wait: {file: never-written.txt, timeout: 1500ms}
)";

const char* kPass = R"(name: quick one
subjects:
  app:
    command: [bbx-fixture, --log-line, "started"]
    ready: {log: started, within: 5s}
)";

}  // namespace

TEST_CASE("a scenario running longer than --still-running-after is said to still run, with what it waits for") {
  auto dir = fresh_dir("console-still-running");
  write_file(dir / "slow.yaml", kSlow);
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), "--still-running-after", "500ms", (dir / "slow.yaml").string()});
  INFO(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("  ... slow one still running after ") != std::string::npos);
  CHECK(r.out.find(": in step 1 'wait for file never-written.txt' for ") != std::string::npos);
  CHECK(r.out.find("\x1b[K") == std::string::npos);  // no status line in a pipe
}

TEST_CASE("-v streams every event of the running scenario, -q prints failures only") {
  auto dir = fresh_dir("console-verbose-quiet");
  write_file(dir / "pass.yaml", kPass);
  auto v = run_bbx({"run", "-v", "--runs-dir", (dir / "runs").string(), (dir / "pass.yaml").string()});
  INFO(v.out);
  CHECK(v.exit_code == 0);
  CHECK(v.out.find("[quick one] +") != std::string::npos);
  CHECK(v.out.find("[app:stderr]  started") != std::string::npos);
  CHECK(v.out.find("[scenario]  scenario ends: passed") != std::string::npos);
  CHECK(v.out.find("PASS  quick one") != std::string::npos);
  auto q = run_bbx({"run", "-q", "--runs-dir", (dir / "runs").string(), (dir / "pass.yaml").string()});
  CHECK(q.exit_code == 0);
  CHECK(q.out.find("PASS") == std::string::npos);
  CHECK(q.out.find("1 scenario: 1 passed") != std::string::npos);
  auto both = run_bbx({"run", "-q", "-v", (dir / "pass.yaml").string()});
  CHECK(both.exit_code == 2);
}

TEST_CASE("on a terminal a status line is drawn and erased; under CI=true it is not") {
  if (::access("/usr/bin/script", X_OK) != 0) {
    MESSAGE("skipped: util-linux script(1) is needed to run bbx on a pseudo-terminal");
    return;
  }
  auto dir = fresh_dir("console-status-line");
  write_file(dir / "slow.yaml", kSlow);
  auto command = bbx_binary().string() + " run --color never --runs-dir " + (dir / "runs").string() + " " + (dir / "slow.yaml").string();
  auto tty = run_command({"/usr/bin/env", "-u", "CI", "/usr/bin/script", "-qfec", command, "/dev/null"});
  INFO(tty.out);
  CHECK(tty.out.find("\r\x1b[K[0/1 done] running: slow one (") != std::string::npos);
  auto ci = run_command({"/usr/bin/env", "CI=true", "/usr/bin/script", "-qfec", command, "/dev/null"});
  INFO(ci.out);
  CHECK(ci.out.find("done] running:") == std::string::npos);
  CHECK(ci.out.find("FAIL  slow one") != std::string::npos);
}
