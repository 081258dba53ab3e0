#include "runner/scenario_driver.hpp"

#include <unistd.h>

#include <cmath>
#include <csignal>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "assert/evaluate.hpp"
#include "assert/window_watch.hpp"
#include "fakes/fake_server.hpp"
#include "probes/cpu_pressure.hpp"
#include "process/readiness.hpp"
#include "process/subject_evidence.hpp"
#include "process/supervisor.hpp"
#include "runner/client_origins.hpp"
#include "runner/failure_bundle.hpp"
#include "runner/pause_on_fail.hpp"
#include "profile/resource_sampler.hpp"
#include "sandbox/sandbox_files.hpp"
#include "steps/step.hpp"
#include "util/signals.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::runner {

namespace {

// What the scenario is set to do, for scenario.begin: the views count the steps that did not
// run and the expectations that were never judged from it.
nlohmann::json plan_of_steps(const Scenario& s) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : s.steps) steps.push_back({{"label", step.label}, {"where", step.where.to_string()}});
  return steps;
}

nlohmann::json plan_of_expectations(const Scenario& s) {
  nlohmann::json wheres = nlohmann::json::array();
  for (const auto& e : s.expect) wheres.push_back(e.where.to_string());
  return wheres;
}

class Driver {
 public:
  Driver(runtime::RunContext& ctx, const DriverOptions& options)
      : ctx_(ctx), options_(options), supervisor_(ctx), interrupts_(ctx.io(), SIGINT, SIGTERM), windows_(ctx, supervisor_) {
    supervisor_.set_echo_output(options.echo_output);
    await_interrupt();
    // The coordinator forks runners with SIGINT/SIGTERM blocked; the handler is in place now,
    // so an interrupt that arrived earlier is delivered here instead of being lost.
    sigset_t interrupts = util::interrupt_signals();
    ::sigprocmask(SIG_UNBLOCK, &interrupts, nullptr);
    supervisor_.set_on_unexpected_exit([this](const process::SubjectState& s) { on_crash(s); });
    supervisor_.set_on_stop_overdue(
        [this](const process::SubjectState& s, const std::string& why) { bundle_.hung({s.name}, why); });
    ctx_.set_client_origin_finder([this](const util::TcpEndpoint& server, const util::TcpEndpoint& client) {
      return origins_.find(server, client);
    });
  }
  ~Driver() { ctx_.set_client_origin_finder({}); }

  ScenarioResult run() {
    const auto& s = ctx_.scenario();
    ctx_.journal().append({"scenario", s.id, 0}, journal::ev::scenario_begin, begin_body(s));
    pressure_.emplace();
    try {
      start_deadline();
      sampler_.start();
      phase_ = "starting the fakes";
      start_fakes();
      phase_ = "writing the sandbox files";
      if (ok()) write_files();
      if (ok()) start_subjects();
      if (ok()) run_steps();
      phase_ = "checking the expectations";
      check_expectations(false);
      deadline_.cancel();  // stopping is bounded by the grace periods; a pause by the user
      maybe_pause();
      sampler_.sample_all();  // the last sample of every subject, before it stops
      supervisor_.stop_all();
      sampler_.stop();
      for (auto& f : fakes_) f->settle(std::chrono::seconds(30));  // what arrived is journaled
      check_expectations(true);
    } catch (const Error& e) {  // e.g. a ${...} in an integer field that is no integer: at its location
      result_.verdict = Verdict::error;
      result_.message = e.formatted();
    } catch (const std::exception& e) {
      result_.verdict = Verdict::error;
      result_.message = e.what();
    }
    supervisor_.kill_everything();
    for (auto& f : fakes_) f->stop();
    check_fakes();
    finish();
    return result_;
  }

 private:
  struct Failure {
    std::string what, expected, actual;
    std::uint64_t seq = 0;
  };

  // scenario.begin: what the run is, and what a later comparison needs to know of it (the
  // sandbox path and host name to normalise, the scenario's own compare: rules).
  nlohmann::json begin_body(const Scenario& s) const {
    nlohmann::json body = {{"id", s.id},
                           {"name", s.name},
                           {"file", s.file.string()},
                           {"isolation", ctx_.isolation()},
                           {"sandbox", ctx_.sandbox_dir().string()},
                           {"hostname", host_name()},
                           {"steps", plan_of_steps(s)},
                           {"expectations", plan_of_expectations(s)}};
    if (!s.compare.empty()) {
      auto& rules = body["compare"] = nlohmann::json::object();
      for (const auto& i : s.compare.ignore) {
        nlohmann::json entry = nlohmann::json::object();
        if (!i.type.empty()) entry["type"] = i.type;
        if (!i.source.empty()) entry["source"] = i.source;
        if (!i.field.empty()) entry["field"] = i.field;
        if (!i.matches.empty()) entry["matches"] = i.matches;
        rules["ignore"].push_back(entry);
      }
      for (const auto& r : s.compare.redact) rules["redact"].push_back({{"pattern", r.pattern}, {"replace", r.replace}});
    }
    return body;
  }

  static std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "";
    return name;
  }

  void await_interrupt() {
    interrupts_.async_wait([this](boost::system::error_code ec, int sig) {
      if (ec) return;
      if (!options_.forward_interrupts) {
        ctx_.request_abort(sig == SIGINT ? "interrupted (SIGINT)" : "interrupted (SIGTERM)");
        return;
      }
      auto now = std::chrono::steady_clock::now();
      if (sig != last_forwarded_ || now - last_forwarded_at_ > std::chrono::milliseconds(250))
        for (const auto& s : ctx_.scenario().subjects)
          if (supervisor_.running(s.name)) supervisor_.send_signal(s.name, sig, model::SignalStep::To::tree);
      last_forwarded_ = sig;
      last_forwarded_at_ = now;
      await_interrupt();
    });
  }

  // --pause-on-fail: fakes and subjects still run here (before stop_all).
  void maybe_pause() {
    if (ctx_.pause_on_fail() && result_.verdict != Verdict::passed && !ctx_.aborted())
      pause_for_inspection(ctx_, supervisor_, result_.message);
  }

  bool ok() const { return result_.verdict == Verdict::passed && !ctx_.aborted(); }

  // The scenario's `timeout:` (default 60s) bounds everything up to the expectations checked
  // before the stop. When it passes, the scenario fails naming what it was still doing, and
  // the halt ends that wait (and every later one) at once.
  void start_deadline() {
    auto limit = ctx_.scenario().timeout;
    deadline_.expires_after(limit);
    deadline_.async_wait([this, limit](boost::system::error_code ec) {
      if (ec || !ok()) return;
      std::string after = util::format_duration(limit);
      bundle_.hung(running_subjects(), "scenario timed out after " + after + ", still " + phase_);
      ctx_.halt("scenario timed out after " + after);
      CheckResult r{"scenario timeout", false, "done within " + after, "still " + phase_ + " after " + after,
                    {}, {}, CheckKind::timeout};
      assertions::journal_result(ctx_, r);
      add(r);
    });
  }

  // A subject exited while it should run: the scenario fails now, and the halt ends whatever
  // the run waits for (a step, a readiness, a `within:`), so no timeout is sat out.
  // The report quotes the exit, where the core went, the last output lines and the tails of
  // the files it writes (process/subject_evidence.hpp); its location is the subject's.
  void on_crash(const process::SubjectState& s) {
    ctx_.halt("subject '" + s.name + "' " + s.exit->describe());
    if (s.name == awaiting_ready_) return;  // the readiness failure reports it, with its location
    CheckResult r;
    r.what = "subject '" + s.name + "' is running";
    r.expected = "subject '" + s.name + "' running";
    r.actual = s.exit->describe() + process::output_evidence(s) + process::core_evidence(s, ctx_.sandbox_dir()) +
               process::log_evidence(ctx_, supervisor_, s);
    r.evidence = {s.exit_seq};
    r.kind = CheckKind::crash;
    if (const auto* subject = ctx_.scenario().find_subject(s.name)) r.where = subject->where;
    assertions::journal_result(ctx_, r);
    add(r);
  }

  std::vector<std::string> running_subjects() const {
    std::vector<std::string> names;
    for (const auto& s : ctx_.scenario().subjects)
      if (supervisor_.running(s.name)) names.push_back(s.name);
    return names;
  }

  static std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

  // A failure found by the driver itself (a subject that cannot start, a fake that lost
  // data): journaled like every check, so the views see it.
  void fail_now(const Failure& f, CheckKind kind = CheckKind::setup) {
    CheckResult r{f.what, false, f.expected, f.actual, {}, {}, kind};
    if (f.seq) r.evidence.push_back(f.seq);
    assertions::journal_result(ctx_, r);
    add(r);
  }

  void add(const CheckResult& r) {
    result_.checks.push_back(r);
    if (!r.passed && result_.verdict == Verdict::passed) {
      result_.verdict = Verdict::failed;
      result_.message = r.what + ": expected " + r.expected + ", got " + r.actual;
      bundle_.snapshot(first_line(result_.message));
    }
  }

  void start_fakes() {
    for (const auto& f : ctx_.scenario().fakes) {
      std::unique_ptr<fakes::FakeServer> server;
      try {
        server = fakes::make_fake_server(ctx_, f);
      } catch (const Error& e) {  // e.g. a body_file or TLS certificate it cannot read
        if (e.kind() != ErrorKind::scenario) throw;
        CheckResult r{"start of fake '" + f.name + "'", false, "it starts", e.what(), f.where, {}, CheckKind::setup};
        assertions::journal_result(ctx_, r);
        return add(r);
      }
      std::string prefix = "fakes." + f.name + ".";
      ctx_.set_value(prefix + "port", std::to_string(server->port()));
      ctx_.set_value(prefix + "host", server->host());
      ctx_.set_value(prefix + "url", server->url());
      ctx_.set_value(prefix + "ca_file", server->ca_file());  // "" unless an HTTPS fake
      ctx_.journal().append({"fake", f.name, 0}, journal::ev::fake_listen, {{"url", server->url()}, {"port", server->port()}});
      fakes_.push_back(std::move(server));
    }
  }

  // `files:`, after the fakes bound (templates may use their ports), before any subject.
  void write_files() {
    for (const auto& f : ctx_.scenario().files) {
      try {
        sandbox::write_sandbox_file(ctx_, f);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::scenario) throw;
        CheckResult r{"sandbox file '" + f.path.text + "'", false, "written", e.what(), f.where, {}, CheckKind::setup};
        assertions::journal_result(ctx_, r);
        return add(r);
      }
    }
  }

  void start_subjects() {
    for (const auto& subject : ctx_.scenario().subjects) {  // loader order respects `after:` edges
      try {
        supervisor_.start(subject);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::scenario) throw;
        return fail_now({"start of subject '" + subject.name + "'", "it starts", e.what()});
      }
      awaiting_ready_ = subject.name;
      phase_ = "waiting for subject '" + subject.name + "' to be ready";
      auto outcome = process::wait_until_ready(ctx_, supervisor_, subject);
      awaiting_ready_.clear();
      if (outcome.cut_short) return;  // another subject's exit (reported) or an interrupt
      if (!outcome.ready) {
        const auto* st = supervisor_.state(subject.name);
        if (!st->exit) bundle_.hung({subject.name}, "readiness of subject '" + subject.name + "': " + outcome.reason);
        CheckResult r{"readiness of subject '" + subject.name + "'", false, "ready",
                      outcome.reason + process::output_evidence(*st, outcome.awaited_output) +
                          process::core_evidence(*st, ctx_.sandbox_dir()) + process::log_evidence(ctx_, supervisor_, *st),
                      subject.ready.where, {}, CheckKind::readiness};
        if (st->exit_seq) r.evidence.push_back(st->exit_seq);
        assertions::journal_result(ctx_, r);
        return add(r);
      }
      supervisor_.note_written_files(subject.name);
      if (!ok()) return;
    }
  }

  // `always`/`never` windows are sampled while the steps run (assert/window_watch.hpp).
  void run_steps() {
    windows_.start();
    const auto& steps = ctx_.scenario().steps;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const auto& step = steps[i];
      phase_ = "running step " + std::to_string(i + 1) + " '" + step.label + "' (" + step.where.to_string() + ")";
      // The step before a `wait: {exit}` is what makes the subject exit (a request, a
      // command): the exit may come while it runs, and is no crash either.
      if (i + 1 < steps.size())
        if (const auto* w = std::get_if<model::WaitStep>(&steps[i + 1].action); w && w->kind == model::WaitStep::Kind::exit)
          supervisor_.expect_exit(w->subject);
      for (auto& c : steps::run_step(ctx_, supervisor_, step, i + 1)) add(c);
      windows_.poll();
      if (!ok()) break;
    }
    windows_.finish();
  }

  void check_expectations(bool after_stop) {
    if (result_.verdict == Verdict::error || ctx_.aborted()) return;
    auto start = std::chrono::steady_clock::now();  // every `within` deadline counts from here
    for (const auto& e : ctx_.scenario().expect) {
      if (e.sampled) {  // decided while the steps ran; reported before the stop
        if (!after_stop) add(sampled_result(e));
      } else if (assertions::needs_stopped_subjects(e) == after_stop) {
        if (auto r = assertions::evaluate(ctx_, supervisor_, e, start)) add(*r);
      }
    }
  }

  CheckResult sampled_result(const model::Expectation& e) {
    auto r = windows_.result(e);
    assertions::journal_result(ctx_, r);
    return r;
  }

  void check_fakes() {  // e.g. statsd datagrams the kernel dropped (fakes/metrics/udp_fake.cpp)
    if (result_.verdict == Verdict::error || ctx_.aborted()) return;
    for (std::size_t i = 0; i < fakes_.size(); ++i)
      if (auto p = fakes_[i]->problem())
        fail_now({"capture of fake '" + ctx_.scenario().fakes[i].name + "'", "no loss", *p});
  }

  void finish() {
    sampler_.stop();
    result_.resources = sampler_.peaks();
    if (ctx_.aborted()) {
      result_.verdict = Verdict::interrupted;
      result_.message = ctx_.abort_reason();
    }
    nlohmann::json body = {{"verdict", to_string(result_.verdict)}, {"message", result_.message}};
    // How busy the machine was: comparisons judge durations with it (docs/comparing-runs.md).
    if (auto p = pressure_ ? pressure_->fraction() : std::nullopt) body["cpu_pressure"] = std::round(*p * 1000) / 1000;
    ctx_.journal().append({"scenario", ctx_.scenario().id, 0}, journal::ev::scenario_end, std::move(body));
  }

  runtime::RunContext& ctx_;
  DriverOptions options_;
  int last_forwarded_ = 0;  // forward_interrupts: the last signal sent on, and when
  std::chrono::steady_clock::time_point last_forwarded_at_;
  std::string awaiting_ready_;  // the subject whose readiness is being waited for
  std::string phase_;           // what the run does now, for the timeout's message
  std::optional<probes::CpuPressureWindow> pressure_;  // from scenario.begin
  boost::asio::steady_timer deadline_{ctx_.io()};
  process::Supervisor supervisor_;
  ClientOrigins origins_{ctx_.scenario(), supervisor_};
  profile::ResourceSampler sampler_{ctx_, supervisor_};
  FailureBundle bundle_{ctx_, supervisor_};
  boost::asio::signal_set interrupts_;
  assertions::WindowWatches windows_;
  std::vector<std::unique_ptr<fakes::FakeServer>> fakes_;
  ScenarioResult result_ = [] {
    ScenarioResult r;
    r.verdict = Verdict::passed;
    return r;
  }();
};

}  // namespace

ScenarioResult drive_scenario(runtime::RunContext& ctx, const DriverOptions& options) {
  Driver driver(ctx, options);
  return driver.run();
}

}  // namespace bbx::runner
