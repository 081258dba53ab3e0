#include "report/run_phase.hpp"

#include <cstdio>

#include "journal/event_types.hpp"

namespace bbx::report {

void RunPhase::feed(const Event& e) {
  using journal::ev;
  auto set = [&](std::string what) {
    what_ = std::move(what);
    since_ns_ = e.t_ns;
  };
  if (ev::process_spawn.is(e.type) && e.source.kind == "subject" && steps_begun_ == 0) {
    set("waiting for subject '" + e.source.name + "' to be ready");
  } else if (ev::subject_ready.is(e.type) && steps_begun_ == 0) {
    set("subject '" + e.source.name + "' is ready; starting the next");
  } else if (ev::step_begin.is(e.type)) {
    ++steps_begun_;
    set("in step " + std::to_string(steps_begun_) + " '" + e.source.name + "'");
  } else if (ev::step_end.is(e.type)) {
    set("after step " + std::to_string(steps_begun_) + " '" + e.source.name + "'");
  } else if ((ev::assert_pass.is(e.type) || ev::assert_fail.is(e.type) || ev::assert_skip.is(e.type)) &&
             e.source.kind == "assert" && !steps_over_ && steps_begun_ > 0 && what_.rfind("after step", 0) == 0) {
    steps_over_ = true;
    set("checking the expectations");
  } else if (ev::process_signal.is(e.type) && e.body.value("reason", std::string()) == "stop") {
    set("stopping subject '" + e.source.name + "'");
  } else if (ev::scenario_end.is(e.type)) {
    set("finishing");
  }
}

journal::TypeFilter RunPhase::types() {
  using journal::ev;
  return {ev::process_spawn, ev::subject_ready, ev::step_begin,     ev::step_end,    ev::assert_pass,
          ev::assert_fail,   ev::assert_skip,   ev::process_signal, ev::scenario_end};
}

std::string RunPhase::describe(std::int64_t now_ns) const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", double(now_ns - since_ns_) / 1e9);
  return what_ + " for " + buf;
}

}  // namespace bbx::report
