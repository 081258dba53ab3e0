// log: expectations against recorded journals and log files, with the exact failure text.
#include <doctest/doctest.h>

#include <fstream>

#include "assert/log_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::LogCheck;

namespace {

model::Count count(std::int64_t lo, std::int64_t hi, const char* text) { return {lo, hi, std::nullopt, text}; }

model::LogExpectation contains(const std::string& subject, const std::string& text, model::Count c) {
  model::LogExpectation l;
  l.subject = subject;
  l.match = model::TextMatch{text, false, {}};
  l.count = c;
  return l;
}

CheckResult run(const model::LogExpectation& spec, const journal::Journal& j) { return run_check<LogCheck>(spec, j); }

}  // namespace

TEST_CASE("a substring found in a subject's output passes with its seqs as evidence") {
  auto j = temp_journal("log-pass");
  line(*j, "app", "stderr", "fixture starting pid=1");
  auto seq = line(*j, "app", "stderr", "listening on 127.0.0.1:8080");
  line(*j, "other", "stderr", "listening on 127.0.0.1:9090");
  auto r = run(contains("app", "listening on", count(1, INT64_MAX, ">= 1")), *j);
  CHECK(r.passed);
  CHECK(r.what == "log of subject 'app' (both): contains \"listening on\"");
  CHECK(r.expected == "at least 1 matching lines");
  CHECK(r.actual == "1 matching");
  CHECK(r.evidence == std::vector<std::uint64_t>{seq});
}

TEST_CASE("a missing line fails naming the closest lines by seq") {
  auto j = temp_journal("log-closest");
  line(*j, "app", "stderr", "fixture starting pid=1");
  line(*j, "app", "stderr", "listening on 127.0.0.1:8080");
  line(*j, "app", "stderr", "shutting down on SIGTERM");
  auto r = run(contains("app", "listening at", count(1, 1, "1")), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exactly 1 matching line");
  CHECK(r.actual == "0 matching of 3 lines; closest: seq 2 \"listening on 127.0.0.1:8080\", "
                    "seq 1 \"fixture starting pid=1\", seq 3 \"shutting down on SIGTERM\"");
  CHECK(r.evidence == std::vector<std::uint64_t>{2, 1, 3});
}

TEST_CASE("absence fails listing the offending lines") {
  auto j = temp_journal("log-absent");
  line(*j, "app", "stdout", "ok");
  line(*j, "app", "stderr", "error: upstream failed: timed out");
  line(*j, "app", "stderr", "ERROR: config: listen: must be an integer");
  auto spec = contains("app", "", count(0, 0, "0"));
  spec.match = model::TextMatch{"(?i)^error", true, {}};
  auto r = run(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.what == "log of subject 'app' (both): matches /(?i)^error/");
  CHECK(r.expected == "exactly 0 matching lines");
  CHECK(r.actual == "2 matching: seq 2 \"error: upstream failed: timed out\"\n"
                    "    | seq 3 \"ERROR: config: listen: must be an integer\"");
}

TEST_CASE("lines quoted in the failure text are shown without their colour codes") {
  auto j = temp_journal("log-colour");
  line(*j, "app", "stderr", "\x1b[31mERROR\x1b[0m: disk full");
  auto r = run(contains("app", "ERROR", count(0, 0, "0")), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "1 matching: seq 1 \"ERROR: disk full\"");
}

TEST_CASE("a stream filter ignores the other stream") {
  auto j = temp_journal("log-stream");
  line(*j, "app", "stdout", "hello");
  auto spec = contains("app", "hello", count(1, INT64_MAX, ">= 1"));
  spec.stream = "stderr";
  auto r = run(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "0 matching; no lines at all");
  spec.stream = "stdout";
  CHECK(run(spec, *j).passed);
}

TEST_CASE("only these errors: expected ones pass, any other error line fails") {
  auto j = temp_journal("log-only");
  line(*j, "app", "stderr", "error: upstream failed: timed out");
  line(*j, "app", "stderr", "request GET /x");
  model::LogExpectation spec;
  spec.subject = "app";
  spec.errors = model::TextMatch{"(?i)error", true, {}};
  spec.only = {model::TextMatch{"upstream failed", true, {}}};
  auto r = run(spec, *j);
  CHECK(r.passed);
  CHECK(r.what == "log of subject 'app' (both): error lines /(?i)error/");
  CHECK(r.expected == "no error lines other than /upstream failed/");
  CHECK(r.actual == "1 error line, all expected");
  auto bad = line(*j, "app", "stderr", "Error: config: statsd: empty");
  r = run(spec, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "1 unexpected error line: seq 3 \"Error: config: statsd: empty\"");
  CHECK(r.evidence == std::vector<std::uint64_t>{bad});
}

TEST_CASE("a log file is read by line number") {
  auto dir = unit_temp_dir("log-file");
  std::ofstream(dir / "app.log") << "one\nerror: two\nthree\n";
  model::LogExpectation spec;
  spec.file = "app.log";
  spec.match = model::TextMatch{"error", false, {}};
  spec.count = count(0, 0, "0");
  auto r = assertions::check_log_file(spec, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.what == "log file 'app.log': contains \"error\"");
  CHECK(r.actual == "1 matching: line 2 \"error: two\"");
  spec.file = "missing.log";
  r = assertions::check_log_file(spec, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "no such file in the sandbox");
}

TEST_CASE("update is incremental and sees lines appended later") {
  auto j = temp_journal("log-incremental");
  auto spec = contains("app", "ready", count(2, 2, "2"));
  LogCheck check(spec);
  line(*j, "app", "stderr", "ready");
  CHECK_FALSE(check.update(*j));
  line(*j, "app", "stderr", "ready again");
  CHECK(check.update(*j));
  CHECK(check.result(here()).actual == "2 matching");
}
