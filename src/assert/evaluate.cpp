#include "assert/evaluate.hpp"

#include "assert/command_check.hpp"
#include "assert/file_check.hpp"
#include "assert/listening_check.hpp"
#include "assert/log_check.hpp"
#include "assert/message_check.hpp"
#include "assert/metric_check.hpp"
#include "assert/process_check.hpp"
#include "assert/request_check.hpp"
#include "assert/resource_check.hpp"
#include "assert/sequence_check.hpp"
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

// A journal-backed check (update/result), woken by new events until it holds; or, with
// `during`, limited to that window.
template <typename Check>
CheckResult eventually_journal(runtime::RunContext& ctx, Check& check, const model::Expectation& e) {
  auto& journal = ctx.journal();
  if constexpr (requires { check.limit(0, 0); })
    if (e.during) return in_window(journal, check, e);
  if (e.within) ctx.run_until([&] { return check.update(journal); }, Clock::now() + *e.within);
  check.update(journal);
  return check.result(e.where);
}

// A live probe, re-run every kProbeInterval (the loop keeps running meanwhile) until it
// passes or `within` runs out; without `within`, run once.
CheckResult eventually_live(runtime::RunContext& ctx, const std::function<CheckResult()>& probe,
                            const model::Expectation& e) {
  auto r = probe();
  if (!e.within) return r;
  auto deadline = Clock::now() + *e.within;
  while (!r.passed && Clock::now() < deadline && !ctx.cut_short()) {
    ctx.run_until([] { return false; }, std::min(deadline, Clock::now() + kProbeInterval));
    r = probe();
  }
  return r;
}

CheckResult evaluate_exit(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                          const model::ExitExpectation& spec, const model::Expectation& e) {
  CheckResult r;
  r.where = e.where;
  r.what = "exit of subject '" + spec.subject + "'";
  r.expected = spec.signal ? "killed by " + util::signal_name(*spec.signal) : "exited with code " + std::to_string(*spec.code);
  const auto* state = supervisor.state(spec.subject);
  if (state && e.within) ctx.run_until([&] { return state->exit.has_value(); }, Clock::now() + *e.within);
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

CheckResult evaluate_log(runtime::RunContext& ctx, const model::LogExpectation& spec, const model::Expectation& e) {
  if (!spec.file.empty())
    return eventually_live(ctx, [&] { return check_log_file(spec, ctx.sandbox_dir(), e.where); }, e);
  LogCheck check(spec);
  return eventually_journal(ctx, check, e);
}

CheckResult evaluate_strict(runtime::RunContext& ctx, const model::StrictExpectation& spec, const model::Expectation& e) {
  std::vector<const model::RequestExpectation*> requests;
  for (const auto& other : ctx.scenario().expect)
    if (const auto* r = std::get_if<model::RequestExpectation>(&other.check); r && r->fake == spec.fake) requests.push_back(r);
  return check_strict(spec, requests, ctx.journal(), e.where);
}

CheckResult dispatch(runtime::RunContext& ctx, const process::Supervisor& supervisor, const model::Expectation& e) {
  if (const auto* req = std::get_if<model::RequestExpectation>(&e.check)) {
    RequestCheck check(*req);
    return eventually_journal(ctx, check, e);
  }
  if (const auto* m = std::get_if<model::MetricExpectation>(&e.check)) {
    MetricCheck check(*m);
    return eventually_journal(ctx, check, e);
  }
  if (const auto* msg = std::get_if<model::MessageExpectation>(&e.check)) {
    MessageCheck check(*msg);
    return eventually_journal(ctx, check, e);
  }
  if (const auto* sq = std::get_if<model::SequenceExpectation>(&e.check)) {
    SequenceCheck check(*sq);
    return eventually_journal(ctx, check, e);
  }
  if (const auto* rs = std::get_if<model::ResourceExpectation>(&e.check)) {
    ResourceCheck check(*rs);
    return eventually_journal(ctx, check, e);
  }
  if (const auto* ex = std::get_if<model::ExitExpectation>(&e.check)) return evaluate_exit(ctx, supervisor, *ex, e);
  if (const auto* log = std::get_if<model::LogExpectation>(&e.check)) return evaluate_log(ctx, *log, e);
  if (const auto* l = std::get_if<model::ListeningExpectation>(&e.check))
    return eventually_live(ctx, [&] { return judge_listening(*l, probe_listening(*l, supervisor), e.where); }, e);
  if (const auto* p = std::get_if<model::ProcessExpectation>(&e.check))
    return eventually_live(ctx, [&] { return judge_process(*p, probe_process_tree(supervisor, p->subject), e.where); }, e);
  if (const auto* c = std::get_if<model::CommandExpectation>(&e.check)) {
    return eventually_live(ctx, [&] {
      std::vector<std::string> argv;
      for (const auto& a : c->run) argv.push_back(a.text);
      return judge_command(*c, util::join(argv, " "), run_command(ctx, *c), e.where);
    }, e);
  }
  if (const auto* f = std::get_if<model::FileExpectation>(&e.check))
    return eventually_live(ctx, [&] { return check_file(*f, ctx.sandbox_dir(), e.where); }, e);
  return evaluate_strict(ctx, std::get<model::StrictExpectation>(e.check), e);
}

}  // namespace

bool needs_stopped_subjects(const model::Expectation& e) {
  // Live probes look at the running subjects.
  if (std::holds_alternative<model::ListeningExpectation>(e.check) ||
      std::holds_alternative<model::ProcessExpectation>(e.check) ||
      std::holds_alternative<model::CommandExpectation>(e.check))
    return false;
  // Everything else includes what happens on shutdown, unless it is an "eventually".
  return !e.within;
}

std::optional<CheckResult> evaluate(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                                    const model::Expectation& e) {
  CheckResult r = dispatch(ctx, supervisor, e);
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
                        {"where", r.where.to_string()}, {"evidence", r.evidence}});
}

}  // namespace bbx::assertions
