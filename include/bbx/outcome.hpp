// What a scenario run concluded: the runner writes it (result.json), the coordinator reads
// it into summary.json, JUnit and the console.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bbx/error.hpp"

namespace bbx {

enum class Verdict {
  passed,
  failed,       // an expectation, a step check or readiness failed
  error,        // the harness could not run the scenario (exit 3)
  interrupted,  // SIGINT/SIGTERM reached bbx (exit 130)
  flaky,        // several attempts (--repeat, or runs merged) disagreed: some passed, some
                // failed (exit 1: a scenario that fails sometimes is a defect)
};

std::string to_string(Verdict v);
Verdict verdict_from_string(const std::string& s);  // throws std::invalid_argument

// What a check is about, which decides how a failure report treats it (report/failure_story.hpp):
// a failure that stops the run (crash, readiness, step, timeout, setup) makes the failures
// after it its likely consequences; failed expectations are independent of each other.
enum class CheckKind {
  expectation,  // an `expect:` entry
  step,         // a step's own check (an http step's status, a command step's exit, a wait)
  readiness,    // a subject's `ready:` (or its exit before it was ready)
  crash,        // a subject exited or died on its own while it should have run
  timeout,      // the scenario's `timeout:` passed
  setup,        // a fake, a sandbox file or a subject could not be started; a fake lost data
};

// "expectation", "step", "readiness", "crash", "timeout", "setup".
std::string to_string(CheckKind k);
// The kind named by s; expectation for anything else (results of an older bbx).
CheckKind check_kind_from_string(const std::string& s);

// One check: a step's expectation, a readiness condition, or an `expect:` entry.
struct CheckResult {
  std::string what;       // "request at fake 'upstream': GET /api/x"
  bool passed = false;
  std::string expected;   // "exactly 1"
  std::string actual;     // "0 requests; closest: ..."
  SourceLocation where;   // the scenario text it came from
  std::vector<std::uint64_t> evidence;  // journal seqs involved: the first kEvidenceKept
  CheckKind kind = CheckKind::expectation;
};

// Checks cite at most this many seqs (the first ones): a count over a million captured
// datagrams or requests must not carry a million seqs into the journal and the reports.
inline constexpr std::size_t kEvidenceKept = 100;

// Peak resource use of one subject's tree over a run, from its resource samples (the same
// values as its resource.sample events), so runs can be compared. Fields an older journal or
// result lacks stay unknown (nullopt), not 0.
struct ResourcePeaks {
  std::string subject;
  std::uint64_t max_rss_bytes = 0;
  std::uint64_t cpu_ms = 0;      // CPU time of the tree at its highest sample
  std::int64_t max_fds = 0;
  std::int64_t max_threads = 0;
  std::uint64_t samples = 0;
  std::optional<std::uint64_t> rss_peak_bytes;              // the highest rss_peak_bytes
  std::optional<std::uint64_t> max_pss_bytes;               // the highest pss_bytes read
  std::optional<std::uint64_t> cpu_user_ms, cpu_system_ms;  // the split of cpu_ms
  std::optional<std::uint64_t> read_bytes, write_bytes;     // I/O totals at the last sample
  std::optional<std::uint64_t> ctx_voluntary, ctx_involuntary;
  std::optional<double> max_cpu_percent;  // the highest CPU% between two consecutive samples (100 = one core)
  std::optional<double> avg_cpu_percent;  // CPU% from its first to its last sample
  std::string accounting;                 // "cgroup" or "proc" (the last sample's); empty: unknown
};

struct ScenarioResult {
  std::string id;
  std::string name;
  std::string file;
  Verdict verdict = Verdict::error;
  std::string isolation;      // "namespaces" or "none"
  std::int64_t duration_ns = 0;
  std::string message;        // first failure or the harness error, one line
  std::vector<CheckResult> checks;
  std::uint64_t events = 0;   // journal length
  std::string dir;            // the scenario's run directory
  std::vector<ResourcePeaks> resources;  // each sampled subject (JSON: an object keyed by subject)
  int attempt = 1;            // bbx run --repeat N: which of the N (JSON: "attempt", only when not 1)
};

// One `bbx run`: every scenario's result, in scenario order.
struct RunSummary {
  std::string run_id;
  std::string run_dir;
  std::vector<ScenarioResult> results;
  std::int64_t duration_ns = 0;
  bool interrupted = false;
  // Results folded into `results` (report/merge.hpp: --repeat's attempts, merged reruns);
  // 0 when each scenario ran once.
  std::size_t runs = 0;
};

nlohmann::json to_json(const ScenarioResult& r);
ScenarioResult scenario_result_from_json(const nlohmann::json& j);  // throws nlohmann errors

}  // namespace bbx
