// Cross-references of a loaded scenario: every subject, fake and mark a step, expectation or
// event names exists (and is of the kind it must be), `after:` has no cycle, and every
// ${variable} names something defined. Each kind of step, expectation and event is handled
// in an exhaustive std::visit, so a new kind fails to compile until its references are
// checked here.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "scenario/sections.hpp"
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

// What a scenario defines, by name.
struct Names {
  const Scenario& s;
  std::vector<std::string> fakes, subjects, marks;

  explicit Names(const Scenario& scenario)
      : s(scenario), fakes(names_of(scenario.fakes)), subjects(names_of(scenario.subjects)) {
    for (const auto& step : scenario.steps)  // `mark` steps are the only source of mark events
      if (const auto* mk = std::get_if<model::MarkStep>(&step.action);
          mk && std::find(marks.begin(), marks.end(), mk->name) == marks.end())
        marks.push_back(mk->name);
  }
  void subject(const std::string& name, const SourceLocation& where) const { require_name(subjects, name, where, "subject"); }
  void fake(const std::string& name, const SourceLocation& where) const { require_name(fakes, name, where, "fake"); }
  // A fake of kind Spec, for an expectation or event that reads what only that kind journals.
  template <class Spec>
  void fake_of_kind(const std::string& name, const char* kind_name, const char* needed_by,
                    const SourceLocation& where) const {
    fake(name, where);
    if (!model::spec_if<Spec>(*s.find_fake(name)))
      fail_input(where, "fake '" + name + "' is not " + kind_name + " fake; '" + needed_by + "' needs one");
  }
};

void check_event(const Names& names, const model::EventMatch& item) {
  const auto& at = item.where;
  std::visit(util::Overloaded{
                 [&](const model::LogEvent& e) {
                   if (!e.subject.empty()) names.subject(e.subject, at);
                 },
                 [&](const model::ExitEvent& e) { names.subject(e.subject, at); },
                 [&](const model::RequestEvent& e) { names.fake_of_kind<model::HttpFakeSpec>(e.fake, "an http", "request", at); },
                 [&](const model::MetricEvent& e) { names.fake_of_kind<model::MetricFakeSpec>(e.fake, "a statsd", "metric", at); },
                 [&](const model::MessageEvent& e) { names.fake_of_kind<model::TcpFakeSpec>(e.fake, "a tcp", "message", at); },
                 [&](const model::StepEvent&) {},
                 [&](const model::ResponseEvent&) {},
                 [&](const model::MarkEvent& e) { require_name(names.marks, e.name, at, "mark"); },
             },
             item.event);
}

void check_window(const Names& names, const model::Window& w) {
  check_event(names, w.from);
  if (w.to) check_event(names, *w.to);
}

void check_step(const Names& names, const model::Step& step) {
  const auto& at = step.where;
  std::visit(util::Overloaded{
                 [&](const model::SignalStep& s) { names.subject(s.subject, at); },
                 [&](const model::SubjectStep& s) { names.subject(s.subject, at); },
                 [&](const model::WaitStep& w) {
                   if (!w.subject.empty()) names.subject(w.subject, at);
                 },
                 [](const model::HttpStep&) {},
                 [](const model::SleepStep&) {},
                 [](const model::CommandStep&) {},
                 [](const model::MarkStep&) {},
                 [](const model::FileStep&) {},
             },
             step.action);
}

void check_expectation(const Names& names, const model::Expectation& e) {
  const auto& at = e.where;
  std::visit(util::Overloaded{
                 [&](const model::RequestExpectation& r) {
                   names.fake_of_kind<model::HttpFakeSpec>(r.fake, "an http", "request", at);
                   if (!r.from.empty() && r.from != "bbx") names.subject(r.from, at);
                 },
                 [&](const model::ExitExpectation& x) { names.subject(x.subject, at); },
                 [&](const model::LogExpectation& l) {
                   if (!l.subject.empty()) names.subject(l.subject, at);
                 },
                 [&](const model::ListeningExpectation& l) {
                   if (!l.subject.empty()) names.subject(l.subject, at);
                 },
                 [&](const model::ProcessExpectation& p) { names.subject(p.subject, at); },
                 [](const model::FileExpectation&) {},
                 [&](const model::StrictExpectation& st) {
                   names.fake(st.fake, at);
                   if (model::spec_if<model::TcpFakeSpec>(*names.s.find_fake(st.fake)))
                     fail_input(at, "fake '" + st.fake + "' is a tcp fake; 'strict' needs an http or a statsd fake");
                 },
                 [&](const model::MetricExpectation& m) { names.fake_of_kind<model::MetricFakeSpec>(m.fake, "a statsd", "metric", at); },
                 [](const model::CommandExpectation&) {},
                 [&](const model::SequenceExpectation& sq) {
                   for (const auto& item : sq.items) check_event(names, item);
                 },
                 [&](const model::MessageExpectation& msg) { names.fake_of_kind<model::TcpFakeSpec>(msg.fake, "a tcp", "message", at); },
                 [&](const model::DogStatsdExpectation& d) {
                   names.fake_of_kind<model::MetricFakeSpec>(
                       d.fake, "a statsd", d.kind == model::DogStatsdExpectation::Kind::event ? "statsd_event" : "service_check", at);
                 },
                 [&](const model::ResourceExpectation& rs) {
                   names.subject(rs.subject, at);
                   if (names.s.find_subject(rs.subject)->sample.count() == 0)
                     fail_input(at, "subject '" + rs.subject + "' has 'sample: off'; 'resources' needs its samples");
                 },
             },
             e.check);
  if (e.during) check_window(names, *e.during);
  if (e.sampled) check_window(names, e.sampled->window);
}

// ${variables}: each names something the scenario defines.
void check_file_templates(const model::SandboxFile& f, const KnownNames& known) {
  check_variables(f.path, known);
  check_variables(f.content, known);
  for (const auto& e : f.edits) check_variables(e.value, known);
}

// `files:` are written before any subject starts: no pid exists yet.
void check_no_pids(const model::Template& t) {
  for (const auto& name : referenced_variables(t))
    if (name.rfind("subjects.", 0) == 0)
      fail_input(t.where, "'${" + name + "}' has no value in files: (they are written before subjects start); "
                          "write the file with a 'file' step instead");
}

// An integer field written with ${...}: its variables exist; when they are all scenario
// variables (known now: vars, matrix values, --var), its value is checked now too.
struct IntChecker {
  const KnownNames& known;
  const std::map<std::string, std::string>& vars;
  void operator()(const model::IntField& f) const {
    if (!f.text) return;
    check_variables(*f.text, known);
    auto var = [&](const std::string& name) -> std::optional<std::string> {
      bool qualified = name.rfind("vars.", 0) == 0;
      if (!qualified && name.find('.') != std::string::npos) return std::nullopt;  // ports.X, env.X, ...
      auto it = vars.find(qualified ? name.substr(5) : name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    for (const auto& name : referenced_variables(*f.text))
      if (!var(name)) return;  // known only while the scenario runs (ports, pids, env)
    expand_integer(f, var);
  }
  void operator()(const std::optional<model::IntField>& f) const {
    if (f) (*this)(*f);
  }
};

void check_step_templates(const model::Step& step, const KnownNames& known, const IntChecker& check_int) {
  auto check = [&](const model::Template& t) { check_variables(t, known); };
  std::visit(util::Overloaded{
                 [&](const model::HttpStep& h) {
                   check(h.url);
                   check_int(h.expect_status);
                   for (const auto& [k, v] : h.headers) check(v);
                   if (h.body) check(*h.body);
                   for (const auto& e : h.expect_headers)
                     if (e.kind == model::HeaderExpectation::Kind::equals) check(e.value);
                   for (const auto& t : h.body_contains) check(t);
                   for (const auto& j : h.expect_json)
                     if (j.text) check(*j.text);
                 },
                 [&](const model::CommandStep& c) {
                   check_int(c.expect_exit);
                   for (const auto& a : c.argv) check(a);
                   for (const auto& [k, v] : c.env) check(v);
                   for (const auto* t : {&c.expect_stdout, &c.expect_stderr})
                     if (*t) check(**t);
                   for (const auto& t : c.stdout_contains) check(t);
                   for (const auto& t : c.stderr_contains) check(t);
                 },
                 [&](const model::WaitStep& w) {
                   if (w.kind != model::WaitStep::Kind::exit) check(w.target);  // exit: a subject's name
                   check_int(w.status);
                   check_int(w.exit.code);
                 },
                 [&](const model::FileStep& f) { check_file_templates(f.file, known); },
                 [&](const model::SignalStep& sig) {
                   if (sig.expect_exit) check_int(sig.expect_exit->code);
                 },
                 [](const model::SleepStep&) {},
                 [](const model::SubjectStep&) {},
                 [](const model::MarkStep&) {},
             },
             step.action);
}

void check_templates(const Scenario& s) {
  KnownNames known;
  for (const auto& f : s.fakes) known.fakes.insert(f.name);
  for (const auto& subj : s.subjects) known.subjects.insert(subj.name);
  for (const auto& [k, v] : s.vars) known.vars.insert(k);
  IntChecker check_int{known, s.vars};
  for (const auto& subj : s.subjects) {
    for (const auto& arg : subj.command) check_variables(arg, known);
    for (const auto& [k, v] : subj.env) check_variables(v, known);
    for (const auto& c : subj.ready.checks) {
      check_variables(c.target, known);
      check_int(c.status);
    }
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
  for (const auto& f : s.files) {
    check_file_templates(f, known);
    check_no_pids(f.path);
    check_no_pids(f.content);
    for (const auto& e : f.edits) check_no_pids(e.value);
  }
  // ${captures.NAME}: known from the step after the one capturing it on, and in expectations.
  for (const auto& step : s.steps) {
    check_step_templates(step, known, check_int);
    if (const auto* h = std::get_if<model::HttpStep>(&step.action))
      for (const auto& c : h->captures) known.captures.insert(c.name);
  }
  for (const auto& e : s.expect) {
    if (const auto* c = std::get_if<model::CommandExpectation>(&e.check)) {
      for (const auto& arg : c->run) check_variables(arg, known);
      check_int(c->exit_code);
    }
    if (const auto* l = std::get_if<model::ListeningExpectation>(&e.check)) check_int(l->port);
  }
}

}  // namespace

void check_references(const Scenario& s) {
  Names names(s);
  for (const auto& subj : s.subjects)
    for (const auto& dep : subj.after) names.subject(dep, subj.where);
  check_after_cycles(s);
  for (const auto& step : s.steps) check_step(names, step);
  for (const auto& e : s.expect) check_expectation(names, e);
  check_templates(s);
}

}  // namespace bbx::scenario
