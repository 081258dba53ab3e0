#include <algorithm>
#include <set>

#include "scenario/parse_parts.hpp"
#include "scenario/variables.hpp"
#include "util/overloaded.hpp"
#include "util/text.hpp"

namespace bbx {

const model::Fake* Scenario::find_fake(std::string_view name) const {
  for (const auto& f : fakes)
    if (f.name == name) return &f;
  return nullptr;
}

const model::Subject* Scenario::find_subject(std::string_view name) const {
  for (const auto& s : subjects)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace bbx

namespace bbx::scenario {

namespace {

template <typename Items>
std::vector<std::string> names_of(const Items& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.name);
  return out;
}

void require_name(const std::vector<std::string>& names, const std::string& name, const SourceLocation& where,
                  const std::string& kind) {
  for (const auto& n : names)
    if (n == name) return;
  std::string guess = util::closest_match(name, names);
  fail_input(where, "unknown " + kind + " '" + name + "'" +
                        (guess.empty() ? (names.empty() ? " (none is defined)" : " (defined: " + util::join(names, ", ") + ")")
                                       : "; did you mean '" + guess + "'?"));
}

// `name` is a fake of kind Spec; `kind` names it ("a tcp fake") and `use` what needs it.
template <class Spec>
void require_fake_kind(const Scenario& s, const std::string& name, const SourceLocation& where, const std::string& kind,
                       const std::string& use) {
  if (!model::spec_if<Spec>(*s.find_fake(name)))
    fail_input(where, "fake '" + name + "' is not " + kind + "; '" + use + "' needs one");
}

void check_after_cycles(const Scenario& s) {
  // Depth-first walk over `after:` edges; a subject met again on the current path is a cycle.
  std::map<std::string, int> state;  // 0 new, 1 on path, 2 done
  std::function<void(const model::Subject&)> visit = [&](const model::Subject& subj) {
    state[subj.name] = 1;
    for (const auto& dep : subj.after) {
      if (state[dep] == 1) fail_input(subj.where, "subject '" + subj.name + "': 'after' forms a cycle through '" + dep + "'");
      if (state[dep] == 0) visit(*s.find_subject(dep));
    }
    state[subj.name] = 2;
  };
  for (const auto& subj : s.subjects)
    if (state[subj.name] == 0) visit(subj);
}

void check_templates(const Scenario& s) {
  KnownNames known;
  for (const auto& f : s.fakes) known.fakes.insert(f.name);
  for (const auto& subj : s.subjects) known.subjects.insert(subj.name);
  for (const auto& [k, v] : s.vars) known.vars.insert(k);
  for (const auto& subj : s.subjects) {
    for (const auto& arg : subj.command) check_variables(arg, known);
    for (const auto& [k, v] : subj.env) check_variables(v, known);
    for (const auto& c : subj.ready.checks) check_variables(c.target, known);
    if (subj.shell) check_variables(*subj.shell, known);
    if (subj.stdin_file) check_variables(*subj.stdin_file, known);
    for (const auto& l : subj.logs) check_variables(l, known);
  }
  auto check_proxy = [&](const model::HttpProxy& p) {  // upstream URL and CA file
    check_variables(p.to, known);
    if (p.ca_file) check_variables(*p.ca_file, known);
  };
  for (const auto& f : s.fakes)  // the templates each kind holds
    std::visit(util::Overloaded{
                   [&](const model::HttpFakeSpec& http) {
                     if (http.proxy) check_proxy(*http.proxy);
                     for (const auto& r : http.routes)
                       if (r.proxy) check_proxy(*r.proxy);
                   },
                   [](const model::MetricFakeSpec&) {},
                   [](const model::TcpFakeSpec&) {},
               },
               f.spec);
  for (const auto& e : s.expect)
    if (const auto* c = std::get_if<model::CommandExpectation>(&e.check))
      for (const auto& arg : c->run) check_variables(arg, known);
  for (const auto& step : s.steps) {
    if (const auto* h = std::get_if<model::HttpStep>(&step.action)) {
      check_variables(h->url, known);
      for (const auto& [k, v] : h->headers) check_variables(v, known);
      if (h->body) check_variables(*h->body, known);
      for (const auto& e : h->expect_headers)
        if (e.kind == model::HeaderExpectation::Kind::equals) check_variables(e.value, known);
    }
  }
  check_more_references(s, known);
}

// The events named by sequences, `during` and `always`/`never` windows.
void check_event_references(const Scenario& s, const model::Expectation& e, const std::vector<std::string>& fakes,
                            const std::vector<std::string>& subjects, const std::vector<std::string>& marks) {
  std::vector<model::EventMatch> events;
  if (const auto* sq = std::get_if<model::SequenceExpectation>(&e.check)) events = sq->items;
  for (const auto* w : {e.during ? &*e.during : nullptr, e.sampled ? &e.sampled->window : nullptr}) {
    if (w) events.push_back(w->from);
    if (w && w->to) events.push_back(*w->to);
  }
  for (const auto& item : events) {
    if (item.kind == "log" || item.kind == "exit") require_name(subjects, item.source, item.where, "subject");
    if (item.kind == "request" || item.kind == "metric" || item.kind == "message")
      require_name(fakes, item.source, item.where, "fake");
    if (item.kind == "message") require_fake_kind<model::TcpFakeSpec>(s, item.source, item.where, "a tcp fake", "message");
    if (item.kind == "mark") require_name(marks, item.name, item.where, "mark");
  }
}

}  // namespace

void check_references(const Scenario& s) {
  auto fakes = names_of(s.fakes);
  auto subjects = names_of(s.subjects);
  std::vector<std::string> marks;  // `mark` steps are the only source of mark events
  for (const auto& step : s.steps)
    if (const auto* mk = std::get_if<model::MarkStep>(&step.action);
        mk && std::find(marks.begin(), marks.end(), mk->name) == marks.end())
      marks.push_back(mk->name);
  for (const auto& subj : s.subjects)
    for (const auto& dep : subj.after) require_name(subjects, dep, subj.where, "subject");
  check_after_cycles(s);
  for (const auto& step : s.steps) {
    if (const auto* sig = std::get_if<model::SignalStep>(&step.action))
      require_name(subjects, sig->subject, step.where, "subject");
    if (const auto* ctl = std::get_if<model::SubjectStep>(&step.action))
      require_name(subjects, ctl->subject, step.where, "subject");
    if (const auto* w = std::get_if<model::WaitStep>(&step.action); w && !w->subject.empty())
      require_name(subjects, w->subject, step.where, "subject");
  }
  for (const auto& e : s.expect) {
    if (const auto* r = std::get_if<model::RequestExpectation>(&e.check)) {
      require_name(fakes, r->fake, e.where, "fake");
      require_fake_kind<model::HttpFakeSpec>(s, r->fake, e.where, "an http fake", "request");
    }
    if (const auto* x = std::get_if<model::ExitExpectation>(&e.check))
      require_name(subjects, x->subject, e.where, "subject");
    if (const auto* l = std::get_if<model::LogExpectation>(&e.check); l && !l->subject.empty())
      require_name(subjects, l->subject, e.where, "subject");
    if (const auto* l = std::get_if<model::ListeningExpectation>(&e.check); l && !l->subject.empty())
      require_name(subjects, l->subject, e.where, "subject");
    if (const auto* p = std::get_if<model::ProcessExpectation>(&e.check))
      require_name(subjects, p->subject, e.where, "subject");
    if (const auto* msg = std::get_if<model::MessageExpectation>(&e.check)) {
      require_name(fakes, msg->fake, e.where, "fake");
      require_fake_kind<model::TcpFakeSpec>(s, msg->fake, e.where, "a tcp fake", "message");
    }
    if (const auto* rs = std::get_if<model::ResourceExpectation>(&e.check)) {
      require_name(subjects, rs->subject, e.where, "subject");
      if (s.find_subject(rs->subject)->sample.count() == 0)
        fail_input(e.where, "subject '" + rs->subject + "' has 'sample: off'; 'resources' needs its samples");
    }
    if (const auto* st = std::get_if<model::StrictExpectation>(&e.check)) require_name(fakes, st->fake, e.where, "fake");
    check_event_references(s, e, fakes, subjects, marks);
    if (const auto* mx = std::get_if<model::MetricExpectation>(&e.check)) {
      require_name(fakes, mx->fake, e.where, "fake");
      require_fake_kind<model::MetricFakeSpec>(s, mx->fake, e.where, "a statsd fake", "metric");
    }
  }
  check_templates(s);
}

}  // namespace bbx::scenario
