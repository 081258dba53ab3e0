#include "assert/window_watch.hpp"

#include <functional>
#include <optional>
#include <stdexcept>

#include <boost/asio/steady_timer.hpp>

#include "assert/file_check.hpp"
#include "assert/listening_check.hpp"
#include "assert/process_check.hpp"
#include "assert/sequence_check.hpp"
#include "util/overloaded.hpp"

namespace bbx::assertions {

namespace {

// The live probe of a listening, process or file expectation, run once per sample.
// The live probe an always/never window samples. The parser admits windows only on
// listening, process and file (scenario/event_windows.hpp); every other kind is a bug here.
std::function<CheckResult()> make_probe(runtime::RunContext& ctx, const process::Supervisor& supervisor,
                                        const model::Expectation& e) {
  using Probe = std::function<CheckResult()>;
  return std::visit(
      util::Overloaded{
          [&](const model::ListeningExpectation& l) -> Probe {
            return [l = resolved(ctx, l), &supervisor, &e] {
              return judge_listening(l, probe_listening(l, supervisor), e.where);
            };
          },
          [&](const model::ProcessExpectation& p) -> Probe {
            return [&p, &supervisor, &e] { return judge_process(p, probe_process_tree(supervisor, p.subject), e.where); };
          },
          [&](const model::FileExpectation& f) -> Probe {
            return [&f, &ctx, &e] { return check_file(f, ctx.sandbox_dir(), e.where); };
          },
          [&](const auto&) -> Probe {
            throw std::logic_error("always/never on a kind that is not a live probe (" + e.where.to_string() + ")");
          },
      },
      e.check);
}

std::string ms(std::int64_t ns) { return std::to_string(ns / 1000000) + "ms"; }

}  // namespace

struct WindowWatches::Watch {
  Watch(const model::Expectation& exp, std::function<CheckResult()> p)
      : e(exp), bounds_spec(bounds_of(*exp.sampled)), bounds(bounds_spec), probe(std::move(p)) {}
  static model::SequenceExpectation bounds_of(const model::SampledWindow& s) {
    model::SequenceExpectation seq{{s.window.from}};
    if (s.window.to) seq.items.push_back(*s.window.to);
    return seq;
  }

  const model::Expectation& e;
  model::SequenceExpectation bounds_spec;  // bounds keeps a reference to it
  SequenceCheck bounds;                    // item 0 opens the window, item 1 closes it
  std::function<CheckResult()> probe;
  bool done = false;                       // closed, ended with the steps, or decided
  std::uint64_t from_seq = 0, to_seq = 0, fail_seq = 0;
  std::int64_t from_t = 0, last_t = 0, fail_t = 0;
  int samples = 0;
  std::optional<CheckResult> last;         // the latest sample (the failing one once decided)
};

struct WindowWatches::Timer {
  explicit Timer(runtime::RunContext& ctx) : timer(ctx.io()) {}
  boost::asio::steady_timer timer;
  std::shared_ptr<int> alive = std::make_shared<int>(0);  // handlers run only while it lives
};

WindowWatches::WindowWatches(runtime::RunContext& ctx, const process::Supervisor& supervisor)
    : ctx_(ctx), supervisor_(supervisor), timer_(std::make_unique<Timer>(ctx)) {}

WindowWatches::~WindowWatches() = default;

void WindowWatches::start() {
  for (const auto& e : ctx_.scenario().expect)
    if (e.sampled) watches_.push_back(std::make_unique<Watch>(e, make_probe(ctx_, supervisor_, e)));
  if (watches_.empty()) return;
  running_ = true;
  poll();
  arm();
}

void WindowWatches::arm() {
  timer_->timer.expires_after(kSampleInterval);
  std::weak_ptr<int> alive = timer_->alive;
  timer_->timer.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired() || !running_) return;
    poll();
    for (const auto& w : watches_)
      if (!w->done) return arm();  // stops once every window is decided or closed
  });
}

void WindowWatches::poll() {
  auto& journal = ctx_.journal();
  for (auto& w : watches_) {
    if (w->done) continue;
    w->bounds.update(journal);
    const auto& seqs = w->bounds.matched_seqs();
    if (seqs.empty()) continue;
    if (!w->from_seq) {
      w->from_seq = seqs[0];
      w->from_t = journal.at(seqs[0]).t_ns;
    }
    if (seqs.size() > 1) {
      w->to_seq = seqs[1];
      w->done = true;
      continue;
    }
    sample(*w);
  }
}

void WindowWatches::sample(Watch& w) {
  auto& journal = ctx_.journal();
  CheckResult r = w.probe();
  ++w.samples;
  w.last_t = journal.now_ns();
  bool never = w.e.sampled->never;
  if (r.passed == never) {  // always: it did not hold; never: it held
    w.fail_seq = journal.append({"assert", r.what, 0}, journal::ev::probe_sample,
                                {{"what", r.what}, {"held", r.passed}, {"expected", r.expected}, {"actual", r.actual},
                                 {"sample", w.samples}, {"window_from", w.from_seq}, {"where", w.e.where.to_string()}});
    w.fail_t = journal.at(w.fail_seq).t_ns;
    w.done = true;
  }
  w.last = std::move(r);
}

void WindowWatches::finish() {
  if (!running_) return;
  poll();
  for (auto& w : watches_) w->done = true;
  running_ = false;
  timer_->timer.cancel();
}

CheckResult WindowWatches::result(const model::Expectation& e) const {
  const Watch* w = nullptr;
  for (const auto& candidate : watches_)
    if (&candidate->e == &e) w = candidate.get();
  bool never = e.sampled->never;
  CheckResult r = w && w->last ? *w->last : make_probe(ctx_, supervisor_, e)();
  r.where = e.where;
  r.what += (never ? " never" : " always") + describe(e.sampled->window);
  r.expected = (never ? "at no sample: " : "at every sample: ") + r.expected;
  r.evidence.clear();
  r.passed = false;
  if (!w || !w->from_seq) {
    r.actual = "the window never opened: " + describe(e.sampled->window.from) + " did not occur during the steps";
    return r;
  }
  std::string window = "window seq " + std::to_string(w->from_seq) + ".." +
                       (w->to_seq ? "seq " + std::to_string(w->to_seq) : std::string("end of steps"));
  r.evidence.push_back(w->from_seq);
  if (w->fail_seq) {
    r.evidence.push_back(w->fail_seq);
    r.actual = std::string(never ? "held" : "did not hold") + " at sample " + std::to_string(w->samples) + " (seq " +
               std::to_string(w->fail_seq) + ", " + ms(w->fail_t - w->from_t) + " into the window): " + r.actual;
  } else if (w->samples == 0) {
    r.actual = "no sample was taken: the " + window + " closed before one (it was shorter than the sampling "
               "interval, or ended before the steps began)";
  } else {
    r.passed = true;
    std::string over = std::to_string(w->samples) + (w->samples == 1 ? " sample" : " samples") + " over " + ms(w->last_t - w->from_t);
    r.actual = (never ? "did not hold at any of " + over + "; last: " + r.actual : "held at all " + over) + "; " + window;
  }
  if (w->to_seq) r.evidence.push_back(w->to_seq);
  return r;
}

}  // namespace bbx::assertions
