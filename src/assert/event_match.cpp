#include "assert/event_match.hpp"

#include <strings.h>

#include "journal/event_types.hpp"
#include "util/overloaded.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

const model::TextMatch* text_of(const model::EventMatch& m) {
  return std::visit(util::Overloaded{
                        [](const model::LogEvent& e) -> const model::TextMatch* { return &e.text; },
                        [](const model::MessageEvent& e) -> const model::TextMatch* { return e.text ? &*e.text : nullptr; },
                        [](const auto&) -> const model::TextMatch* { return nullptr; },
                    },
                    m.event);
}

}  // namespace

std::string describe(const model::EventMatch& m) {
  return std::visit(
      util::Overloaded{
          [](const model::LogEvent& e) {
            if (!e.file.empty())
              return "line of log file '" + e.file + "'" + (e.subject.empty() ? "" : " of subject '" + e.subject + "'") +
                     " " + describe(e.text);
            return "line of subject '" + e.subject + "'" + (e.stream == "both" ? "" : " (" + e.stream + ")") + " " +
                   describe(e.text);
          },
          [](const model::RequestEvent& e) {
            return "request at fake '" + e.fake + "': " + (e.method.empty() ? "any method" : e.method) + " " +
                   (e.path.empty() ? "any path" : e.path);
          },
          [](const model::MetricEvent& e) { return "metric " + e.name + " at fake '" + e.fake + "'"; },
          [](const model::MessageEvent& e) {
            return e.text ? "message at fake '" + e.fake + "' " + describe(*e.text) : "any message at fake '" + e.fake + "'";
          },
          [](const model::ExitEvent& e) { return "exit of subject '" + e.subject + "'"; },
          [](const model::StepEvent& e) { return "step '" + e.label + "'"; },
          [](const model::ResponseEvent& e) { return "response to step '" + e.label + "'"; },
          [](const model::MarkEvent& e) { return "mark '" + e.name + "'"; },
      },
      m.event);
}

EventMatcher::EventMatcher(const model::EventMatch& spec) : spec_(spec) {
  if (const auto* t = text_of(spec)) text_.emplace(*t);
}

bool EventMatcher::matches(const Event& e) const {
  using journal::ev;
  return std::visit(
      util::Overloaded{
          [&](const model::LogEvent& m) {
            if (!m.file.empty()) {
              if (!ev::log_line.is(e.type) || e.source.kind != "subject") return false;
              if (!m.subject.empty() && e.source.name != m.subject) return false;
              return util::glob_match(m.file, e.body.value("path", std::string())) &&
                     (*text_)(e.body.value("line", std::string()));
            }
            if (!ev::output_line.is(e.type) || e.source.kind != "subject" || e.source.name != m.subject) return false;
            if (m.stream != "both" && e.body.value("stream", std::string()) != m.stream) return false;
            return (*text_)(e.body.value("line", std::string()));
          },
          [&](const model::RequestEvent& m) {
            if (!ev::http_request.is(e.type) || e.source.kind != "fake" || e.source.name != m.fake) return false;
            auto method = e.body.value("method", std::string());
            if (!m.method.empty() && ::strcasecmp(method.c_str(), m.method.c_str()) != 0) return false;
            return m.path.empty() || util::glob_match(m.path, e.body.value("path", std::string()));
          },
          [&](const model::MetricEvent& m) {
            if (!ev::statsd_datagram.is(e.type) || e.source.kind != "fake" || e.source.name != m.fake) return false;
            for (const auto& sample : e.body.value("samples", nlohmann::json::array()))
              if (util::glob_match(m.name, sample.value("name", std::string()))) return true;
            return false;
          },
          [&](const model::MessageEvent& m) {
            if (!ev::tcp_message.is(e.type) || e.source.kind != "fake" || e.source.name != m.fake) return false;
            return !text_ || (*text_)(e.body.value("data", std::string()));
          },
          [&](const model::ExitEvent& m) {
            return ev::process_exit.is(e.type) && e.source.kind == "subject" && e.source.name == m.subject &&
                   e.body.value("main", false);
          },
          [&](const model::StepEvent& m) { return ev::step_begin.is(e.type) && util::glob_match(m.label, e.source.name); },
          [&](const model::ResponseEvent& m) {
            return ev::http_reply.is(e.type) && e.source.kind == "step" && util::glob_match(m.label, e.source.name);
          },
          [&](const model::MarkEvent& m) {
            return ev::mark.is(e.type) && e.source.kind == "step" && e.body.value("name", std::string()) == m.name;
          },
      },
      spec_.event);
}

std::string EventMatcher::undecided_note(const std::string& what) const {
  const auto* t = text_of(spec_);
  return t ? assertions::undecided_note(undecided(), what, *t) : "";
}

}  // namespace bbx::assertions
