#include "assert/sequence_check.hpp"

#include <strings.h>

#include "util/text.hpp"

namespace bbx::assertions {

std::string describe(const model::EventMatch& m) {
  if (m.kind == "log")
    return "line of subject '" + m.source + "'" + (m.stream == "both" ? "" : " (" + m.stream + ")") + " " + describe(*m.text);
  if (m.kind == "request")
    return "request at fake '" + m.source + "': " + (m.method.empty() ? "any method" : m.method) + " " +
           (m.path.empty() ? "any path" : m.path);
  if (m.kind == "metric") return "metric " + m.name + " at fake '" + m.source + "'";
  if (m.kind == "message")
    return (m.text ? "message at fake '" + m.source + "' " + describe(*m.text) : "any message at fake '" + m.source + "'");
  if (m.kind == "exit") return "exit of subject '" + m.source + "'";
  if (m.kind == "mark") return "mark '" + m.name + "'";
  return "step '" + m.name + "'";
}

SequenceCheck::SequenceCheck(const model::SequenceExpectation& spec) : spec_(spec), first_any_(spec.items.size(), 0) {
  for (const auto& item : spec.items) {
    if (item.text) text_.emplace_back(Matcher(*item.text));
    else text_.emplace_back(std::nullopt);
  }
}

bool SequenceCheck::matches(std::size_t i, const Event& e) const {
  const auto& m = spec_.items[i];
  if (m.kind == "log") {
    if (!journal::ev::output_line.is(e.type) || e.source.kind != "subject" || e.source.name != m.source) return false;
    if (m.stream != "both" && e.body.value("stream", std::string()) != m.stream) return false;
    return (*text_[i])(e.body.value("line", std::string()));
  }
  if (m.kind == "request") {
    if (!journal::ev::http_request.is(e.type) || e.source.name != m.source) return false;
    auto method = e.body.value("method", std::string());
    if (!m.method.empty() && ::strcasecmp(method.c_str(), m.method.c_str()) != 0) return false;
    return m.path.empty() || util::glob_match(m.path, e.body.value("path", std::string()));
  }
  if (m.kind == "message") {
    if (!journal::ev::tcp_message.is(e.type) || e.source.kind != "fake" || e.source.name != m.source) return false;
    return !text_[i] || (*text_[i])(e.body.value("data", std::string()));
  }
  if (m.kind == "metric") {
    if (!journal::ev::statsd_datagram.is(e.type) || e.source.name != m.source) return false;
    for (const auto& sample : e.body.value("samples", nlohmann::json::array()))
      if (util::glob_match(m.name, sample.value("name", std::string()))) return true;
    return false;
  }
  if (m.kind == "exit")
    return journal::ev::process_exit.is(e.type) && e.source.kind == "subject" && e.source.name == m.source && e.body.value("main", false);
  if (m.kind == "mark") return journal::ev::mark.is(e.type) && e.source.kind == "step" && e.body.value("name", std::string()) == m.name;
  return journal::ev::step_begin.is(e.type) && util::glob_match(m.name, e.source.name);
}

bool SequenceCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    for (std::size_t i = 0; i < spec_.items.size(); ++i)
      if (!first_any_[i] && matches(i, e)) first_any_[i] = e.seq;
    if (matched_ < spec_.items.size() && matches(matched_, e)) {
      seqs_.push_back(e.seq);
      ++matched_;
    }
    return true;
  });
  return matched_ == spec_.items.size();
}

CheckResult SequenceCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.where = where;
  r.what = "sequence of " + std::to_string(spec_.items.size()) + " events";
  std::vector<std::string> items;
  for (const auto& item : spec_.items) items.push_back(describe(item));
  r.expected = "in order: " + util::join(items, ", then ");
  r.evidence = seqs_;
  r.passed = matched_ == spec_.items.size();
  std::vector<std::string> seen;
  for (auto s : seqs_) seen.push_back("seq " + std::to_string(s));
  if (r.passed) {
    r.actual = "at " + util::join(seen, ", ");
    return r;
  }
  const auto& missing = items[matched_];
  std::string prefix = seqs_.empty() ? "" : "matched " + std::to_string(matched_) + " (" + util::join(seen, ", ") + "); ";
  auto first = first_any_[matched_];
  if (first == 0) {
    r.actual = prefix + "item " + std::to_string(matched_ + 1) + " (" + missing + ") never occurred";
  } else {
    r.actual = prefix + "item " + std::to_string(matched_ + 1) + " (" + missing + ") did not follow seq " +
               std::to_string(seqs_.back()) + "; it occurred only before, at seq " + std::to_string(first);
    r.evidence.push_back(first);
  }
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] && text_[i]->undecided())
      r.actual += undecided_note(text_[i]->undecided(), "events of item " + std::to_string(i + 1), *spec_.items[i].text);
  return r;
}

WindowBounds find_window(const model::Window& w, const journal::EventLog& journal) {
  model::SequenceExpectation seq{{w.from}};
  if (w.to) seq.items.push_back(*w.to);
  SequenceCheck check(seq);
  check.update(journal);
  WindowBounds b;
  const auto& seqs = check.matched_seqs();
  if (seqs.empty()) return b;
  b.opened = true;
  b.after = seqs[0];
  if (seqs.size() > 1) b.before = seqs[1];
  return b;
}

std::string describe(const model::Window& w) {
  return " during (" + describe(w.from) + " .. " + (w.to ? describe(*w.to) : std::string("end")) + ")";
}

}  // namespace bbx::assertions
