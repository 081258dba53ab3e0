// `http:` steps: one request through the steps' client (probes/http_client.hpp), its reply
// journaled as http.reply {url, ok, error, status, headers, body (first 4 KiB)}, then the
// step's expected status (a wrong one quoted with its body), body, headers, body texts and
// JSON values checked; a failed body check cites the http.reply's seq.
#include "assert/body_check.hpp"
#include "assert/header_check.hpp"
#include "probes/http_client.hpp"
#include "steps/kinds.hpp"
#include "util/byte_preview.hpp"

namespace bbx::steps {

namespace {

const char* break_name(model::HttpBreak b) {
  switch (b) {
    case model::HttpBreak::reset: return "reset";
    case model::HttpBreak::closed: return "closed";
    case model::HttpBreak::truncated: return "truncated";
    case model::HttpBreak::malformed: return "malformed";
    case model::HttpBreak::any: return "any";
  }
  return "";
}

// "truncated: receive: partial message (status 200 and headers, then 5 of 10 body bytes)".
std::string broken_text(const probes::HttpReply& reply) {
  std::string out = std::string(break_name(*reply.broken)) + ": " + reply.error;
  if (!reply.got_headers) return out + " (" + (*reply.broken == model::HttpBreak::closed ? "no byte of a response"
                                                                                          : "no status line and headers") + ")";
  out += " (status " + std::to_string(reply.status) + " and headers, then " + util::grouped(reply.body.size());
  if (reply.content_length) out += " of " + util::grouped(*reply.content_length);
  return out + " body bytes)";
}

// `expect.broken`: the response must have broken this way.
CheckResult check_broken(const model::Step& step, model::HttpBreak want, const probes::HttpReply& reply) {
  std::string expected = want == model::HttpBreak::any ? "a broken response (reset, closed, truncated or malformed)"
                                                       : std::string("a broken response: ") + break_name(want);
  if (reply.ok)
    return step_check(step, "broken", expected,
                      "a whole response: " + std::to_string(reply.status) +
                          (reply.body.empty() ? " (no body)" : " with body " + util::byte_preview(reply.body, 120, 40)),
                      false);
  if (!reply.broken) return step_check(step, "broken", expected, "no response: " + reply.error, false);
  bool same = want == model::HttpBreak::any || want == *reply.broken;
  return step_check(step, "broken", expected, broken_text(reply), same);
}

}  // namespace

std::vector<CheckResult> run_kind(StepEnv& env, const model::HttpStep& h) {
  auto& ctx = env.ctx;
  probes::HttpCall call;
  call.method = h.method;
  call.url = ctx.expand(h.url);
  for (const auto& [k, v] : h.headers) call.headers[k] = ctx.expand(v);
  if (h.body) call.body = ctx.expand(*h.body);
  call.timeout = h.timeout;
  probes::HttpReply reply = probes::perform_http(ctx, call);
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, v] : reply.headers) headers.push_back({k, v});
  nlohmann::json body = {{"url", call.url},         {"ok", reply.ok},
                         {"error", reply.error},    {"status", reply.status},
                         {"headers", std::move(headers)}, {"body", reply.body.substr(0, 4096)}};
  if (reply.broken) body["broken"] = break_name(*reply.broken);
  auto reply_seq = ctx.journal().append({"step", env.step.label, 0}, journal::ev::http_reply, std::move(body));
  if (h.expect_broken) {
    auto r = check_broken(env.step, *h.expect_broken, reply);
    r.evidence = {reply_seq};
    return {r};
  }
  if (!reply.ok) return {step_check(env.step, "", "a response", "no response: " + reply.error, false)};
  std::vector<CheckResult> checks;
  if (h.expect_status) {
    auto want = ctx.expand_integer(*h.expect_status);
    bool same = reply.status == want;
    // A wrong status: what came with it says why (an error page, a message).
    std::string got = std::to_string(reply.status);
    if (!same) got += reply.body.empty() ? " (no body)" : " with body " + util::byte_preview(reply.body, 120, 40);
    checks.push_back(step_check(env.step, "status", std::to_string(want), got, same));
  }
  if (h.expect_body)
    checks.push_back(step_check(env.step, "body", nlohmann::json(*h.expect_body).dump(),
                                nlohmann::json(reply.body).dump(), reply.body == *h.expect_body));
  for (const auto& e : h.expect_headers) {
    std::string value = e.kind == model::HeaderExpectation::Kind::equals ? ctx.expand(e.value) : "";
    auto v = assertions::check_header(e, value, reply.headers);
    auto r = step_check(env.step, "header " + e.name, std::move(v.expected), std::move(v.actual), v.passed);
    r.where = e.where;
    checks.push_back(r);
  }
  auto body_check = [&](const std::string& detail, assertions::BodyVerdict v, const SourceLocation& where) {
    auto r = step_check(env.step, detail, std::move(v.expected), std::move(v.actual), v.passed);
    r.where = where;
    r.evidence = {reply_seq};
    checks.push_back(std::move(r));
  };
  for (const auto& t : h.body_contains)
    body_check("body_contains", assertions::check_body_contains(ctx.expand(t), reply.body), t.where);
  if (h.body_matches)
    body_check("body_matches", assertions::check_body_matches(*h.body_matches, reply.body), h.body_matches->where);
  if (!h.expect_json.empty()) {
    assertions::JsonBody json(reply.body);
    for (const auto& j : h.expect_json)
      body_check("json " + j.pointer, assertions::check_json(j, j.text ? ctx.expand(*j.text) : "", json), j.where);
  }
  return checks;
}

}  // namespace bbx::steps
