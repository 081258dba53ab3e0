#include "runner/steps.hpp"

#include "assert/evaluate.hpp"
#include "assert/header_check.hpp"
#include "runner/http_client.hpp"
#include "runner/steps_more.hpp"
#include "util/signals.hpp"

namespace bbx::runner {

namespace {

CheckResult failed(const model::Step& step, std::string what, std::string expected, std::string actual) {
  CheckResult r;
  r.what = std::move(what);
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  r.where = step.where;
  return r;
}

std::vector<CheckResult> run_http(RunContext& ctx, const model::Step& step, const model::HttpStep& h) {
  HttpCall call;
  call.method = h.method;
  call.url = ctx.expand(h.url);
  for (const auto& [k, v] : h.headers) call.headers[k] = ctx.expand(v);
  if (h.body) call.body = ctx.expand(*h.body);
  call.timeout = h.timeout;
  HttpReply reply = perform_http(ctx, call);
  std::string what = "step '" + step.label + "'";
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, v] : reply.headers) headers.push_back({k, v});
  ctx.journal().append({"step", step.label, 0}, "http.reply",
                       {{"url", call.url}, {"ok", reply.ok}, {"error", reply.error}, {"status", reply.status},
                        {"headers", std::move(headers)}, {"body", reply.body.substr(0, 4096)}});
  if (!reply.ok) return {failed(step, what, "a response", "no response: " + reply.error)};
  std::vector<CheckResult> checks;
  if (h.expect_status) {
    auto r = failed(step, what + " status", std::to_string(*h.expect_status), std::to_string(reply.status));
    r.passed = reply.status == *h.expect_status;
    checks.push_back(r);
  }
  if (h.expect_body) {
    auto r = failed(step, what + " body", nlohmann::json(*h.expect_body).dump(), nlohmann::json(reply.body).dump());
    r.passed = reply.body == *h.expect_body;
    checks.push_back(r);
  }
  for (const auto& e : h.expect_headers) {
    std::string value = e.kind == model::HeaderExpectation::Kind::equals ? ctx.expand(e.value) : "";
    auto v = assertions::check_header(e, value, reply.headers);
    auto r = failed(step, what + " header " + e.name, std::move(v.expected), std::move(v.actual));
    r.passed = v.passed;
    r.where = e.where;
    checks.push_back(r);
  }
  return checks;
}

std::vector<CheckResult> run_signal(RunContext&, process::Supervisor& supervisor, const model::Step& step,
                                    const model::SignalStep& s) {
  if (!supervisor.running(s.subject))
    return {failed(step, "step '" + step.label + "'", "subject '" + s.subject + "' running", "it is not running")};
  supervisor.send_signal(s.subject, s.signal);
  return {};
}

}  // namespace

std::vector<CheckResult> run_step(RunContext& ctx, process::Supervisor& supervisor, const model::Step& step) {
  EventSource source{"step", step.label, 0};
  ctx.journal().append(source, "step.begin", {{"where", step.where.to_string()}});
  std::vector<CheckResult> checks;
  if (const auto* h = std::get_if<model::HttpStep>(&step.action)) {
    checks = run_http(ctx, step, *h);
  } else if (const auto* s = std::get_if<model::SignalStep>(&step.action)) {
    checks = run_signal(ctx, supervisor, step, *s);
  } else if (const auto* sl = std::get_if<model::SleepStep>(&step.action)) {
    ctx.run_until([] { return false; }, std::chrono::steady_clock::now() + sl->duration);
  } else if (auto more = run_more_step(ctx, supervisor, step)) {
    checks = std::move(*more);
  }
  if (ctx.halted() || ctx.aborted()) {
    ctx.journal().append(source, "step.end", {{"ok", false}, {"cut_short", ctx.cut_reason()}});
    return {};
  }
  bool ok = true;
  for (const auto& c : checks) {
    assertions::journal_result(ctx, c);
    ok = ok && c.passed;
  }
  ctx.journal().append(source, "step.end", {{"ok", ok}});
  return checks;
}

}  // namespace bbx::runner
