// `wait:` steps: until a sandbox file exists (polled every 10 ms), the count-th output line
// containing a text appears (checked every 10 ms over the new journal events), a URL answers
// a status, or a subject exits (an exit then expected: no crash; steps/exit_wait.hpp); or
// fail at `timeout`. Journals wait.done {what, ok}.
#include <boost/asio/steady_timer.hpp>

#include "probes/http_client.hpp"
#include "steps/exit_wait.hpp"
#include "steps/kinds.hpp"
#include "util/units.hpp"

namespace bbx::steps {

namespace {

using Clock = std::chrono::steady_clock;

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

bool poll_until(runtime::RunContext& ctx, std::function<bool()> poll, Clock::time_point deadline) {
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

// Counts the matching lines after `next` into `seen`; true once `count` were seen.
bool output_seen(runtime::RunContext& ctx, const std::string& subject, const std::string& text, std::int64_t count,
                 std::int64_t& seen, std::uint64_t& next) {
  next = ctx.journal().for_each_of({journal::ev::output_line}, next, [&](const Event& e) {
    if (e.source.kind == "subject" && (subject.empty() || e.source.name == subject) &&
        e.body.value("line", std::string()).find(text) != std::string::npos)
      ++seen;
    return seen < count;
  });
  return seen >= count;
}

}  // namespace

std::vector<CheckResult> run_kind(StepEnv& env, const model::WaitStep& w) {
  auto& ctx = env.ctx;
  using Kind = model::WaitStep::Kind;
  if (w.kind == Kind::exit) {
    env.supervisor.expect_exit(w.subject);
    return await_exit(env, w.subject, w.exit, w.timeout);
  }
  auto target = ctx.expand(w.target);
  auto deadline = Clock::now() + w.timeout;
  bool ok = false;
  std::string expected, last = "nothing yet";
  if (w.kind == Kind::file) {
    auto p = ctx.sandbox_dir() / target;
    expected = "file '" + target + "' to exist" +
               (w.min_size ? " with at least " + std::to_string(w.min_size) + " bytes" : "");
    ok = poll_until(ctx, [&] {
      std::error_code ec;
      auto size = std::filesystem::file_size(p, ec);
      return !ec && size >= w.min_size;
    }, deadline);
    last = "it does not";
  } else if (w.kind == Kind::output) {
    std::uint64_t next = 1;
    std::int64_t seen = 0;
    expected = w.count == 1 ? "an output line containing " + nlohmann::json(target).dump()
                            : std::to_string(w.count) + " output lines containing " + nlohmann::json(target).dump();
    ok = poll_until(ctx, [&] { return output_seen(ctx, w.subject, target, w.count, seen, next); }, deadline);
    last = seen == 0 ? "no such line" : std::to_string(seen) + (seen == 1 ? " such line" : " such lines");
  } else {
    auto status = ctx.expand_integer(w.status);
    expected = "status " + std::to_string(status) + " from " + target;
    while (!ok && Clock::now() < deadline && !ctx.cut_short()) {
      probes::HttpCall call;
      call.url = target;
      call.timeout = std::min<model::Duration>(std::chrono::seconds(1), deadline - Clock::now());
      auto reply = probes::perform_http(ctx, call);
      last = reply.ok ? "status " + std::to_string(reply.status) : reply.error;
      ok = reply.ok && reply.status == status;
      if (!ok) poll_until(ctx, [] { return false; }, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)));
    }
  }
  ctx.journal().append({"step", env.step.label, 0}, journal::ev::wait_done, {{"what", expected}, {"ok", ok}});
  if (ok) return {};
  return {step_check(env.step, "", expected + " within " + util::format_duration(w.timeout), last, false)};
}

}  // namespace bbx::steps
