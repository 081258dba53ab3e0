#include "runner/steps_more.hpp"

#include <sys/stat.h>

#include <regex>

#include <boost/asio/steady_timer.hpp>

#include "process/readiness.hpp"
#include "process/command_runner.hpp"
#include "runner/http_client.hpp"
#include "runner/sandbox_files.hpp"
#include "util/signals.hpp"
#include "util/units.hpp"

namespace bbx::runner {

namespace {

using Clock = std::chrono::steady_clock;

CheckResult check(const model::Step& step, std::string what, std::string expected, std::string actual, bool passed) {
  CheckResult r;
  r.what = "step '" + step.label + "'" + (what.empty() ? "" : " " + what);
  r.expected = std::move(expected);
  r.actual = std::move(actual);
  r.passed = passed;
  r.where = step.where;
  return r;
}

// Polls `poll` every 10ms on the loop until it returns true or the deadline passes. The
// timer state is shared with its handler so no handler outlives what it touches.
struct PollState {
  explicit PollState(boost::asio::io_context& io) : timer(io) {}
  boost::asio::steady_timer timer;
  std::function<bool()> poll;
  bool done = false;
};

void arm(const std::shared_ptr<PollState>& st) {
  st->timer.expires_after(std::chrono::milliseconds(10));
  st->timer.async_wait([st](boost::system::error_code ec) {
    if (ec || st->done) return;
    st->done = st->poll();
    if (!st->done) arm(st);
  });
}

bool poll_until(RunContext& ctx, std::function<bool()> poll, Clock::time_point deadline) {
  auto st = std::make_shared<PollState>(ctx.io());
  st->poll = std::move(poll);
  st->done = st->poll();
  if (!st->done) arm(st);
  bool ok = ctx.run_until([&] { return st->done; }, deadline);
  st->done = true;
  st->timer.cancel();
  ctx.poll();  // runs the cancelled handler now, releasing its share of the state
  return ok;
}

std::vector<CheckResult> run_command(RunContext& ctx, const model::Step& step, const model::CommandStep& c) {
  process::CommandRequest request;
  for (const auto& a : c.argv) request.argv.push_back(ctx.expand(a));
  for (const auto& [k, v] : c.env) request.env[k] = ctx.expand(v);
  request.timeout = c.timeout;
  request.source = {"step", step.label, 0};
  auto outcome = process::run_to_completion(ctx, request);
  if (!outcome.started) return {check(step, "", "it starts", outcome.error, false)};
  if (outcome.timed_out)
    return {check(step, "", "exit within " + util::format_duration(c.timeout), "still running; killed", false)};
  if (!outcome.status) return {check(step, "", "an exit status", ctx.cut_short() ? ctx.cut_reason() : "none", false)};
  const std::string& so = outcome.out;
  const std::string& se = outcome.err;
  nlohmann::json body = outcome.status->to_json();
  std::vector<CheckResult> checks;
  int want = c.expect_exit.value_or(0);
  std::string got = body.contains("code") ? "exit code " + std::to_string(body["code"].get<int>())
                                          : "killed by " + body.value("signal", std::string("?"));
  checks.push_back(check(step, "exit", "exit code " + std::to_string(want), got + (se.empty() ? "" : "; stderr: " + nlohmann::json(se).dump()),
                         got == "exit code " + std::to_string(want)));
  auto exact = [&](const char* what, const std::optional<model::Template>& t, const std::string& actual) {
    if (!t) return;
    auto want_text = ctx.expand(*t);
    checks.push_back(check(step, what, nlohmann::json(want_text).dump(), nlohmann::json(actual).dump(), want_text == actual));
  };
  exact("stdout", c.expect_stdout, so);
  exact("stderr", c.expect_stderr, se);
  auto contains = [&](const char* what, const std::vector<model::Template>& ts, const std::string& actual) {
    for (const auto& t : ts) {
      auto needle = ctx.expand(t);
      checks.push_back(check(step, what, "contains " + nlohmann::json(needle).dump(), nlohmann::json(actual).dump(),
                             actual.find(needle) != std::string::npos));
    }
  };
  auto matches = [&](const char* what, const std::optional<std::string>& re, const std::string& actual) {
    if (!re) return;
    checks.push_back(check(step, what, "matches /" + *re + "/", nlohmann::json(actual).dump(),
                           std::regex_search(actual, std::regex(*re))));
  };
  matches("stdout", c.stdout_matches, so);
  matches("stderr", c.stderr_matches, se);
  contains("stdout", c.stdout_contains, so);
  contains("stderr", c.stderr_contains, se);
  return checks;
}

std::vector<CheckResult> run_subject_step(RunContext& ctx, process::Supervisor& supervisor, const model::Step& step,
                                          const model::SubjectStep& s) {
  const auto* subject = ctx.scenario().find_subject(s.subject);
  using Op = model::SubjectStep::Op;
  if (s.op == Op::start && supervisor.running(s.subject))
    return {check(step, "", "subject '" + s.subject + "' stopped", "it is running", false)};
  if (s.op != Op::start) {
    if (!supervisor.running(s.subject))
      return {check(step, "", "subject '" + s.subject + "' running", "it is not running", false)};
    supervisor.stop(*subject);
  }
  if (s.op == Op::stop) return {};
  try {
    supervisor.start(*subject);
  } catch (const std::runtime_error& e) {
    return {check(step, "", "it starts", e.what(), false)};
  }
  auto outcome = process::wait_until_ready(ctx, supervisor, *subject);
  if (!outcome.ready) return {check(step, "", "subject '" + s.subject + "' ready", outcome.reason, false)};
  return {};
}

bool output_seen(RunContext& ctx, const std::string& subject, const std::string& text, std::uint64_t& next) {
  bool found = false;
  next = ctx.journal().for_each_of({"output.line"}, next, [&](const Event& e) {
    if (e.source.kind == "subject" && (subject.empty() || e.source.name == subject) &&
        e.body.value("line", std::string()).find(text) != std::string::npos)
      found = true;
    return !found;
  });
  return found;
}

std::vector<CheckResult> run_wait(RunContext& ctx, const model::Step& step, const model::WaitStep& w) {
  auto target = ctx.expand(w.target);
  auto deadline = Clock::now() + w.timeout;
  bool ok = false;
  std::string expected, last = "nothing yet";
  using Kind = model::WaitStep::Kind;
  if (w.kind == Kind::file) {
    auto p = ctx.sandbox_dir() / target;
    expected = "file '" + target + "' to exist" + (w.min_size ? " with at least " + std::to_string(w.min_size) + " bytes" : "");
    ok = poll_until(ctx, [&] {
      std::error_code ec;
      auto size = std::filesystem::file_size(p, ec);
      return !ec && size >= w.min_size;
    }, deadline);
    last = "it does not";
  } else if (w.kind == Kind::output) {
    std::uint64_t next = 1;
    expected = "an output line containing " + nlohmann::json(target).dump();
    ok = poll_until(ctx, [&] { return output_seen(ctx, w.subject, target, next); }, deadline);
    last = "no such line";
  } else {
    expected = "status " + std::to_string(w.status) + " from " + target;
    while (!ok && Clock::now() < deadline && !ctx.cut_short()) {
      HttpCall call;
      call.url = target;
      call.timeout = std::min<model::Duration>(std::chrono::seconds(1), deadline - Clock::now());
      auto reply = perform_http(ctx, call);
      last = reply.ok ? "status " + std::to_string(reply.status) : reply.error;
      ok = reply.ok && reply.status == w.status;
      if (!ok) poll_until(ctx, [] { return false; }, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
    }
  }
  ctx.journal().append({"step", step.label, 0}, "wait.done", {{"what", expected}, {"ok", ok}});
  if (ok) return {};
  return {check(step, "", expected + " within " + util::format_duration(w.timeout), last, false)};
}

}  // namespace

std::optional<std::vector<CheckResult>> run_more_step(RunContext& ctx, process::Supervisor& supervisor,
                                                      const model::Step& step) {
  if (const auto* c = std::get_if<model::CommandStep>(&step.action)) return run_command(ctx, step, *c);
  if (const auto* s = std::get_if<model::SubjectStep>(&step.action)) return run_subject_step(ctx, supervisor, step, *s);
  if (const auto* w = std::get_if<model::WaitStep>(&step.action)) return run_wait(ctx, step, *w);
  if (const auto* m = std::get_if<model::MarkStep>(&step.action)) {
    ctx.journal().append({"step", step.label, 0}, "mark", {{"name", m->name}});
    return std::vector<CheckResult>{};
  }
  if (const auto* f = std::get_if<model::FileStep>(&step.action)) {
    try {
      write_sandbox_file(ctx, f->file);
    } catch (const std::runtime_error& e) {
      return std::vector<CheckResult>{check(step, "", "the file is written", e.what(), false)};
    }
    return std::vector<CheckResult>{};
  }
  return std::nullopt;
}

}  // namespace bbx::runner
