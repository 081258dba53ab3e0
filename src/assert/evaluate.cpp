#include "assert/evaluate.hpp"

#include "assert/command_check.hpp"
#include "assert/dogstatsd_check.hpp"
#include "assert/file_check.hpp"
#include "assert/listening_check.hpp"
#include "assert/log_check.hpp"
#include "assert/message_check.hpp"
#include "assert/metric_check.hpp"
#include "assert/process_check.hpp"
#include "assert/request_check.hpp"
#include "assert/resource_check.hpp"
#include "assert/sequence_check.hpp"
#include "util/overloaded.hpp"
#include "util/signals.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kProbeInterval = std::chrono::milliseconds(50);

// A journal-backed check limited to a `during` window (evaluated once, at its time).
template <typename Check>
CheckResult in_window(const journal::EventLog& journal, Check& check, const model::Expectation& e) {
  auto bounds = find_window(*e.during, journal);
  if (bounds.opened) {
    check.limit(bounds.after, bounds.before);
    check.update(journal);
  }
  CheckResult r = check.result(e.where);
  r.what += describe(*e.during);
  if (!bounds.opened) {
    r.passed = false;
    r.actual = "the window never opened: " + describe(e.during->from) + " never occurred";
    return r;
  }
  r.actual += "; window seq " + std::to_string(bounds.after) + ".." +
              (bounds.before == UINT64_MAX ? std::string("end") : "seq " + std::to_string(bounds.before));
  r.evidence.push_back(bounds.after);
  if (bounds.before != UINT64_MAX) r.evidence.push_back(bounds.before);
  return r;
}

// A journal-backed check over everything the journal holds (or its `during` window).
template <typename Check>
CheckResult once(const journal::EventLog& journal, Check& check, const model::Expectation& e) {
  if constexpr (requires { check.limit(0, 0); })
    if (e.during) return in_window(journal, check, e);
  check.update(journal);
  return check.result(e.where);
}

// The same, woken by new events until it holds when the expectation has `within`.
template <typename Check>
CheckResult eventually(runtime::RunContext& ctx, Check& check, const model::Expectation& e, Clock::time_point start) {
  auto& journal = ctx.journal();
  if (e.within && !(requires { check.limit(0, 0); } && e.during))
    ctx.run_until([&] { return check.update(journal); }, start + *e.within);
  return once(journal, check, e);
}

// A live probe, re-run every kProbeInterval (the loop keeps running meanwhile) until it
// passes or `within` runs out; without `within`, run once.
CheckResult eventually_live(runtime::RunContext& ctx, const std::function<CheckResult()>& probe,
                            const model::Expectation& e, Clock::time_point start) {
  auto r = probe();
  if (!e.within) return r;
  auto deadline = start + *e.within;
  while (!r.passed && Clock::now() < deadline && !ctx.cut_short()) {
    ctx.run_until([] { return false; }, std::min(deadline, Clock::now() + kProbeInterval));
    r = probe();
  }
  return r;
}

CheckResult exit_result(const model::ExitExpectation& spec, const model::Expectation& e) {
  CheckResult r;
  r.where = e.where;
  r.what = "exit of subject '" + spec.subject + "'";
  r.expected = spec.signal ? "killed by " + util::signal_name(*spec.signal) : "exited with code " + std::to_string(*spec.code);
  return r;
}

// The last exit of the subject's main process in the journal.
CheckResult exit_from_journal(const journal::EventLog& journal, const model::ExitExpectation& spec,
                              const model::Expectation& e) {
  CheckResult r = exit_result(spec, e);
  bool started = false;
  std::optional<Event> last;
  journal.for_each_of({journal::ev::process_spawn, journal::ev::process_exit}, 1, [&](const Event& ev) {
    if (ev.source.kind != "subject" || ev.source.name != spec.subject) return true;
    if (journal::ev::process_spawn.is(ev.type)) {
      started = true;
      last.reset();  // a restart: the latest instance counts
    } else if (ev.body.value("main", false)) {
      last = ev;
    }
    return true;
  });
  if (!started) {
    r.actual = "never started";
  } else if (!last) {
    r.actual = "still running";
  } else {
    r.actual = last->body.value("describe", std::string("?"));
    r.evidence = {last->seq};
    r.passed = r.actual == r.expected;
  }
  return r;
}

std::vector<const model::RequestExpectation*> requests_at(const Scenario& s, const std::string& fake) {
  std::vector<const model::RequestExpectation*> out;
  for (const auto& other : s.expect)
    if (const auto* r = std::get_if<model::RequestExpectation>(&other.check); r && r->fake == fake) out.push_back(r);
  return out;
}

std::vector<const model::MetricExpectation*> metrics_at(const Scenario& s, const std::string& fake) {
  std::vector<const model::MetricExpectation*> out;
  for (const auto& other : s.expect)
    if (const auto* m = std::get_if<model::MetricExpectation>(&other.check); m && m->fake == fake) out.push_back(m);
  return out;
}

// `strict:` by the kind of its fake (an http or a metric fake: the loader allows no other).
CheckResult strict(const Scenario& s, const model::StrictExpectation& spec, const journal::EventLog& journal,
                   const SourceLocation& where) {
  const auto* fake = s.find_fake(spec.fake);
  if (fake && model::spec_if<model::MetricFakeSpec>(*fake))
    return check_strict_metrics(spec, metrics_at(s, spec.fake), journal, where);
  return check_strict(spec, requests_at(s, spec.fake), journal, where);
}

// The incremental journal check of each journal-backed kind (update/result/limit): these
// kinds are evaluated the same way live and stored, from their events.
template <class Spec>
struct JournalCheckOf;
template <>
struct JournalCheckOf<model::RequestExpectation> {
  using type = RequestCheck;
};
template <>
struct JournalCheckOf<model::MetricExpectation> {
  using type = MetricCheck;
};
template <>
struct JournalCheckOf<model::MessageExpectation> {
  using type = MessageCheck;
};
template <>
struct JournalCheckOf<model::DogStatsdExpectation> {
  using type = DogStatsdCheck;
};
template <>
struct JournalCheckOf<model::SequenceExpectation> {
  using type = SequenceCheck;
};
template <>
struct JournalCheckOf<model::ResourceExpectation> {
  using type = ResourceCheck;
};
template <class Spec>
concept JournalKind = requires { typename JournalCheckOf<Spec>::type; };

// ---- live ----

struct Live {
  runtime::RunContext& ctx;
  const process::Supervisor& supervisor;
  const model::Expectation& e;
  Clock::time_point start;  // the `within` deadline is start + within

  template <JournalKind Spec>
  CheckResult operator()(const Spec& spec) {
    typename JournalCheckOf<Spec>::type check(spec);
    return eventually(ctx, check, e, start);
  }
  CheckResult operator()(const model::ExitExpectation& spec) {
    CheckResult r = exit_result(spec, e);
    const auto* state = supervisor.state(spec.subject);
    if (state && e.within) ctx.run_until([&] { return state->exit.has_value(); }, start + *e.within);
    if (!state) {
      r.actual = "never started";
    } else if (!state->exit) {
      r.actual = "still running";
    } else {
      r.actual = state->exit->describe();
      r.evidence = {state->exit_seq};
      r.passed = r.actual == r.expected;
    }
    return r;
  }
  CheckResult operator()(const model::LogExpectation& spec) {
    if (!spec.file.empty())
      return eventually_live(ctx, [&] { return check_log_file(spec, ctx.sandbox_dir(), e.where); }, e, start);
    LogCheck check(spec);
    return eventually(ctx, check, e, start);
  }
  CheckResult operator()(const model::ListeningExpectation& written) {
    auto spec = resolved(ctx, written);
    return eventually_live(ctx, [&] { return judge_listening(spec, probe_listening(spec, supervisor), e.where); }, e, start);
  }
  CheckResult operator()(const model::ProcessExpectation& spec) {
    return eventually_live(ctx, [&] { return judge_process(spec, probe_process_tree(supervisor, spec.subject), e.where); }, e, start);
  }
  CheckResult operator()(const model::CommandExpectation& written) {
    auto spec = written;
    spec.exit_code.value = ctx.expand_integer(written.exit_code);
    return eventually_live(ctx, [&] {
      std::vector<std::string> argv;
      for (const auto& a : spec.run) argv.push_back(a.text);
      return judge_command(spec, util::join(argv, " "), run_command(ctx, spec), e.where);
    }, e, start);
  }
  CheckResult operator()(const model::FileExpectation& spec) {
    return eventually_live(ctx, [&] { return check_file(spec, ctx.sandbox_dir(), e.where); }, e, start);
  }
  CheckResult operator()(const model::StrictExpectation& spec) {
    return strict(ctx.scenario(), spec, ctx.journal(), e.where);
  }
};

// ---- stored ----

// What the run journaled for the expectation at `where` (its last assert.* event there).
std::optional<CheckResult> recorded(const journal::EventLog& journal, const SourceLocation& where) {
  std::optional<CheckResult> out;
  const auto at = where.to_string();
  journal.for_each_of({journal::ev::assert_pass, journal::ev::assert_fail, journal::ev::assert_skip}, 1,
                      [&](const Event& ev) {
                        if (ev.body.value("where", std::string()) != at) return true;
                        CheckResult r;
                        r.what = ev.body.value("what", std::string());
                        r.expected = ev.body.value("expected", std::string());
                        r.actual = ev.body.value("actual", std::string());
                        r.where = where;
                        r.passed = journal::ev::assert_pass.is(ev.type);
                        if (journal::ev::assert_skip.is(ev.type))
                          r.actual += "; not judged: " + ev.body.value("reason", std::string());
                        r.evidence = {ev.seq};
                        out = r;
                        return true;
                      });
  return out;
}

struct Stored {
  const Scenario& scenario;
  const journal::EventLog& journal;
  const model::Expectation& e;
  const std::optional<std::filesystem::path>& sandbox;
  using How = StoredVerdict::How;

  StoredVerdict evaluated(CheckResult r) { return {std::move(r), How::evaluated}; }
  StoredVerdict replay(const char* why) {
    if (auto r = recorded(journal, e.where)) return {std::move(*r), How::recorded};
    CheckResult r;
    r.where = e.where;
    r.what = "expectation at " + e.where.to_string();
    r.actual = std::string("not evaluable on a stored run: ") + why + ", and the run journaled no result for it";
    return {std::move(r), How::unavailable};
  }

  template <JournalKind Spec>
  StoredVerdict operator()(const Spec& spec) {
    typename JournalCheckOf<Spec>::type check(spec);
    return evaluated(once(journal, check, e));
  }
  StoredVerdict operator()(const model::ExitExpectation& spec) { return evaluated(exit_from_journal(journal, spec, e)); }
  StoredVerdict operator()(const model::LogExpectation& spec) {
    if (!spec.file.empty()) {
      if (!sandbox) return replay("the log file is in the sandbox, which was not kept");
      return evaluated(check_log_file(spec, *sandbox, e.where));
    }
    LogCheck check(spec);
    return evaluated(once(journal, check, e));
  }
  StoredVerdict operator()(const model::FileExpectation& spec) {
    if (e.sampled) return replay("'always'/'never' samples a live probe while the steps run");
    if (!sandbox) return replay("the file is in the sandbox, which was not kept");
    return evaluated(check_file(spec, *sandbox, e.where));
  }
  StoredVerdict operator()(const model::StrictExpectation& spec) {
    return evaluated(strict(scenario, spec, journal, e.where));
  }
  StoredVerdict operator()(const model::ListeningExpectation&) { return replay("'listening' probes the live sockets"); }
  StoredVerdict operator()(const model::ProcessExpectation&) { return replay("'process' probes the live process tree"); }
  StoredVerdict operator()(const model::CommandExpectation&) { return replay("'command' runs while the subjects run"); }
};

}  // namespace

bool needs_stopped_subjects(const model::Expectation& e) {
  bool live_probe = std::visit(util::Overloaded{
                                   [](const model::ListeningExpectation&) { return true; },
                                   [](const model::ProcessExpectation&) { return true; },
                                   [](const model::CommandExpectation&) { return true; },
                                   [](const model::RequestExpectation&) { return false; },
                                   [](const model::ExitExpectation&) { return false; },
                                   [](const model::LogExpectation&) { return false; },
                                   [](const model::FileExpectation&) { return false; },
                                   [](const model::StrictExpectation&) { return false; },
                                   [](const model::MetricExpectation&) { return false; },
                                   [](const model::SequenceExpectation&) { return false; },
                                   [](const model::MessageExpectation&) { return false; },
                                   [](const model::DogStatsdExpectation&) { return false; },
                                   [](const model::ResourceExpectation&) { return false; },
                               },
                               e.check);
  // Live probes look at the running subjects; everything else includes what happens on
  // shutdown, unless it is an "eventually".
  return !live_probe && !e.within;
}

std::optional<CheckResult> evaluate(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                                    const model::Expectation& e, Clock::time_point window_start) {
  CheckResult r = std::visit(Live{ctx, supervisor, e, window_start}, e.check);
  if (!r.passed && e.within && ctx.halted()) {  // its wait was cut short: not judged
    ctx.journal().append({"assert", r.what, 0}, journal::ev::assert_skip,
                         {{"what", r.what}, {"expected", r.expected}, {"actual", r.actual},
                          {"where", r.where.to_string()}, {"reason", ctx.halt_reason()}});
    return std::nullopt;
  }
  journal_result(ctx, r);
  return r;
}

void journal_result(runtime::RunContext& ctx, const CheckResult& r) {
  ctx.journal().append({"assert", r.what, 0}, r.passed ? journal::ev::assert_pass : journal::ev::assert_fail,
                       {{"what", r.what}, {"expected", r.expected}, {"actual", r.actual},
                        {"where", r.where.to_string()}, {"evidence", r.evidence}, {"kind", to_string(r.kind)}});
}

StoredVerdict evaluate_stored(const Scenario& scenario, const journal::EventLog& journal, const model::Expectation& e,
                              const std::optional<std::filesystem::path>& sandbox) {
  return std::visit(Stored{scenario, journal, e, sandbox}, e.check);
}

}  // namespace bbx::assertions
