// `http:` steps: one request through the steps' client (probes/http_client.hpp), its reply
// journaled as http.reply {url, ok, error, status, headers, body (first 4 KiB)}, then the
// step's expected status (a wrong one quoted with its body), body, headers, body texts and
// JSON values checked; a failed body check cites the http.reply's seq. With `repeat: N`
// the request is sent N times (`concurrency` at a time), every response is checked, and
// one check sums them up: how many failed, the outcomes by status or break, and the first
// failure quoted with its http.reply (only the first response and the first 10 failed ones
// are journaled, with index/of). `capture:` stores values of a whole response as
// ${captures.NAME}, each a check of its own (its actual: the value captured).
#include "assert/body_check.hpp"
#include "assert/header_check.hpp"
#include "probes/http_client.hpp"
#include "steps/kinds.hpp"
#include "util/byte_preview.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <map>

namespace bbx::steps {

namespace {

// A repeated step journals the http.reply of its first response and of at most this many
// failed ones; the fake it calls journals every request itself.
constexpr std::size_t kJournaledFailures = 10;

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

// Journals the reply as http.reply; `index` numbers it among a repeated step's responses
// (0: not repeated). Returns its seq.
std::uint64_t journal_reply(StepEnv& env, const std::string& url, const probes::HttpReply& reply, std::size_t index,
                            std::size_t of) {
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [k, v] : reply.headers) headers.push_back({k, v});
  nlohmann::json body = {{"url", url},           {"ok", reply.ok},
                         {"error", reply.error}, {"status", reply.status},
                         {"headers", std::move(headers)}, {"body", reply.body.substr(0, 4096)}};
  if (reply.broken) body["broken"] = break_name(*reply.broken);
  if (index) {
    body["index"] = index;
    body["of"] = of;
  }
  return env.ctx.journal().append({"step", env.step.label, 0}, journal::ev::http_reply, std::move(body));
}

// Every check of the step on one response; the body and broken checks cite reply_seq.
std::vector<CheckResult> check_reply(StepEnv& env, const model::HttpStep& h, const probes::HttpReply& reply,
                                     std::uint64_t reply_seq) {
  auto& ctx = env.ctx;
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

// One capture from a whole response: a passed check whose actual is the value quoted, and
// the value; or a failed check saying why there is none.
std::pair<CheckResult, std::optional<std::string>> capture_value(const model::Step& step, const model::HttpCapture& c,
                                                                 const probes::HttpReply& reply,
                                                                 std::uint64_t reply_seq) {
  using From = model::HttpCapture::From;
  std::optional<std::string> value;
  std::string expected, why;
  switch (c.from) {
    case From::json: {
      expected = "a value at JSON pointer '" + c.source + "'";
      assertions::JsonBody json(reply.body);
      model::JsonExpectation present;
      present.pointer = c.source;
      present.kind = model::JsonExpectation::Kind::present;
      auto v = assertions::check_json(present, "", json);
      if (!v.passed) {
        why = v.actual;
        break;
      }
      const auto& at = json.document()->at(nlohmann::json::json_pointer(c.source));
      value = at.is_string() ? at.get<std::string>() : at.dump();
      break;
    }
    case From::header: {
      expected = "header " + c.source;
      for (const auto& [name, v] : reply.headers)
        if (util::iequals(name, c.source)) {
          value = v;
          break;
        }
      if (!value) why = "no header " + c.source + " in the response";
      break;
    }
    case From::regex: {
      expected = "a match of /" + c.regex->pattern + "/ in the body";
      util::RegexCaptures groups;
      auto m = c.regex->compiled->search(reply.body, groups);
      if (m == util::RegexMatch::yes) {
        auto g = groups.size() > 1 ? groups[1] : groups[0];
        value = std::string(g.value_or(std::string_view()));
      } else {
        why = std::string(m == util::RegexMatch::too_complex ? "undecided: the regex is too complex for the body"
                                                             : "no match") +
              " in the body (" + util::grouped(reply.body.size()) + " bytes): " + util::byte_preview(reply.body, 160, 40);
      }
      break;
    }
  }
  auto r = step_check(step, "capture " + c.name, expected, value ? util::byte_preview(*value, 160, 40) : why, value.has_value());
  r.where = c.where;
  r.evidence = {reply_seq};
  return {std::move(r), std::move(value)};
}

// What a response was, for the tally: "200", "reset", "no response".
std::string outcome_of(const probes::HttpReply& reply) {
  if (reply.ok) return std::to_string(reply.status);
  if (reply.broken) return break_name(*reply.broken);
  return "no response";
}

// A repeated step's responses checked one by one as they end, summed up in one check.
CheckResult run_repeated(StepEnv& env, const model::HttpStep& h, const probes::HttpCall& call) {
  const auto n = static_cast<std::size_t>(h.repeat);
  std::size_t failed = 0, journaled_failures = 0;
  std::map<std::string, std::size_t> outcomes;
  std::optional<CheckResult> first_failure;
  std::size_t first_failure_index = 0;
  std::vector<std::uint64_t> evidence;
  probes::perform_http_repeated(env.ctx, call, n, static_cast<std::size_t>(h.concurrency),
                                [&](std::size_t index, probes::HttpReply reply) {
                                  ++outcomes[outcome_of(reply)];
                                  auto checks = check_reply(env, h, reply, 0);
                                  auto bad = std::find_if(checks.begin(), checks.end(),
                                                          [](const CheckResult& c) { return !c.passed; });
                                  bool ok = bad == checks.end();
                                  if (!ok) ++failed;
                                  // The first response, and the first kJournaledFailures failed ones.
                                  if (index != 0 && (ok || journaled_failures >= kJournaledFailures)) return;
                                  auto seq = journal_reply(env, call.url, reply, index + 1, n);
                                  if (ok) return;
                                  ++journaled_failures;
                                  evidence.push_back(seq);
                                  if (first_failure) return;
                                  first_failure = *bad;
                                  first_failure->evidence = {seq};
                                  first_failure_index = index + 1;
                                });
  std::string tally;
  for (const auto& [what, count] : outcomes) tally += (tally.empty() ? "" : ", ") + what + " ×" + std::to_string(count);
  std::string expected = std::to_string(n) + " responses (" + std::to_string(h.concurrency) +
                         " at a time), each passing the step's checks";
  if (!first_failure) return step_check(env.step, "repeat", expected, "all " + std::to_string(n) + " did; " + tally, true);
  const auto& f = *first_failure;
  auto detail = f.what.substr(std::min(f.what.size(), ("step '" + env.step.label + "'").size()));
  auto r = step_check(env.step, "repeat", expected,
                      std::to_string(failed) + " of " + std::to_string(n) + " failed; " + tally + "; the first, response " +
                          std::to_string(first_failure_index) + " (#" + std::to_string(f.evidence.front()) + "):" +
                          detail + ": expected " + f.expected + ", got " + f.actual,
                      false);
  r.where = f.where;
  r.evidence = evidence;
  return r;
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
  if (h.repeat > 1) return {run_repeated(env, h, call)};
  probes::HttpReply reply = probes::perform_http(ctx, call);
  auto seq = journal_reply(env, call.url, reply, 0, 0);
  auto checks = check_reply(env, h, reply, seq);
  if (!reply.ok) return checks;
  for (const auto& c : h.captures) {  // ${captures.NAME} for the steps after this one
    auto [check, value] = capture_value(env.step, c, reply, seq);
    if (value) ctx.set_value("captures." + c.name, *value);
    checks.push_back(std::move(check));
  }
  return checks;
}

}  // namespace bbx::steps
