#include "report/failure_story.hpp"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>

#include "bbx/error.hpp"
#include "journal/stored_journal.hpp"
#include "report/event_text.hpp"
#include "report/plain_text.hpp"
#include "util/byte_preview.hpp"

namespace bbx::report {

namespace {

using journal::ev;

constexpr std::size_t kSentenceActual = 400;  // the actual's first line in the sentence, at most

std::string seconds_text(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.3fs", double(ns) / 1e9);
  return buf;
}

// The first line of a check's actual (the rest holds continuation lines), capped.
std::string first_line(const std::string& text) {
  auto line = text.substr(0, text.find('\n'));
  if (line.size() > kSentenceActual) {
    std::size_t cut = kSentenceActual;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut) + "…";
  }
  return line;
}

CheckResult check_of(const Event& e) {
  CheckResult c;
  c.what = e.body.value("what", std::string());
  c.expected = e.body.value("expected", std::string());
  c.actual = e.body.value("actual", std::string());
  c.passed = ev::assert_pass.is(e.type);
  auto where = e.body.value("where", std::string());
  // "path:line:col" (path may hold ':'): the last two fields are numbers.
  c.where.path = where;
  if (auto c2 = where.rfind(':'); c2 != std::string::npos && c2 > 0)
    if (auto c1 = where.rfind(':', c2 - 1); c1 != std::string::npos) {
      try {
        c.where.line = std::stoi(where.substr(c1 + 1, c2 - c1 - 1));
        c.where.column = std::stoi(where.substr(c2 + 1));
        c.where.path = where.substr(0, c1);
      } catch (const std::exception&) {
        c.where = {where, 0, 0};
      }
    }
  if (auto ev = e.body.find("evidence"); ev != e.body.end() && ev->is_array())
    for (const auto& s : *ev)
      if (s.is_number_unsigned()) c.evidence.push_back(s.get<std::uint64_t>());
  c.kind = check_kind_from_string(e.body.value("kind", std::string()));
  return c;
}

// Does a failure of this kind stop the run, making the failures after it its likely consequences?
bool stops_the_run(CheckKind k) { return k != CheckKind::expectation; }

struct StepSpan {
  std::size_t index = 0;  // 1-based
  std::string label, where;
  std::uint64_t begin = 0, end = 0;  // seqs of step.begin / step.end (0: none)
  StepState state = StepState::not_run;
};

// What the journal holds that the story needs, in one pass over a few event types.
// A signal a `signal:` step sent a subject (not a stop).
struct SentSignal {
  std::uint64_t seq = 0;
  std::int64_t t_ns = 0;
  std::string signal;
};

struct Facts {
  std::map<std::string, std::vector<SentSignal>> signals;  // by subject, since its latest start
  std::vector<StepSpan> steps;  // planned (or, without a plan, as they began)
  bool planned = false;
  std::vector<std::string> expectations;                // planned `where`s
  std::map<std::string, std::string> expectation_state;  // where -> "passed" | "failed" | "skipped"
  std::vector<StoryFailure> failures;
  std::optional<double> cpu_pressure;  // scenario.end's
};

Facts read_facts(const journal::EventLog& journal) {
  Facts f;
  if (journal.size() > 0) {
    auto begin = journal.at(1);
    if (ev::scenario_begin.is(begin.type)) {
      if (auto steps = begin.body.find("steps"); steps != begin.body.end() && steps->is_array()) {
        f.planned = true;
        for (const auto& s : *steps)
          f.steps.push_back({f.steps.size() + 1, s.value("label", std::string()), s.value("where", std::string())});
      }
      if (auto ex = begin.body.find("expectations"); ex != begin.body.end() && ex->is_array())
        for (const auto& w : *ex)
          if (w.is_string()) f.expectations.push_back(w.get<std::string>());
    }
  }
  std::size_t began = 0;
  journal.for_each_of({ev::assert_pass, ev::assert_fail, ev::assert_skip, ev::step_begin, ev::step_end, ev::process_spawn,
                       ev::process_signal, ev::scenario_end},
                      1, [&](const Event& e) {
    if (ev::scenario_end.is(e.type)) {
      if (auto p = e.body.find("cpu_pressure"); p != e.body.end() && p->is_number()) f.cpu_pressure = p->get<double>();
    } else if (ev::process_spawn.is(e.type)) {
      f.signals.erase(e.source.name);
    } else if (ev::process_signal.is(e.type)) {
      if (!e.body.contains("reason")) {
        auto& sent = f.signals[e.source.name];
        sent.push_back({e.seq, e.t_ns, e.body.value("signal", std::string())});
        if (sent.size() > 16) sent.erase(sent.begin());
      }
    } else if (ev::step_begin.is(e.type)) {
      std::size_t index = static_cast<std::size_t>(e.body.value("index", std::int64_t(0)));
      if (index == 0) index = began + 1;  // a journal without step indices: in order
      began = index;
      if (index > f.steps.size()) {
        if (f.planned) return true;  // not a step of the plan
        f.steps.resize(index);
      }
      auto& s = f.steps[index - 1];
      s.index = index;
      if (s.label.empty()) s.label = e.source.name;
      if (s.where.empty()) s.where = e.body.value("where", std::string());
      s.begin = e.seq;
      s.state = StepState::unfinished;
    } else if (ev::step_end.is(e.type)) {
      if (began == 0 || began > f.steps.size()) return true;
      auto& s = f.steps[began - 1];
      s.end = e.seq;
      s.state = e.body.contains("cut_short") ? StepState::cut_short
                : e.body.value("ok", false)  ? StepState::passed
                                             : StepState::failed;
    } else {
      auto where = e.body.value("where", std::string());
      if (!where.empty()) {
        f.expectation_state[where] = ev::assert_pass.is(e.type) ? "passed" : ev::assert_fail.is(e.type) ? "failed" : "skipped";
      }
      if (ev::assert_fail.is(e.type)) f.failures.push_back({check_of(e), e.seq, e.t_ns, false});
    }
    return true;
  });
  return f;
}

Tally tally_of(const Facts& f) {
  Tally t;
  t.planned = f.planned;
  t.expectations = f.expectations.size();
  for (const auto& where : f.expectations) {
    auto it = f.expectation_state.find(where);
    if (it == f.expectation_state.end()) ++t.unchecked;
    else if (it->second == "passed") ++t.passed;
    else if (it->second == "failed") ++t.failed;
    else ++t.skipped;
  }
  for (const auto& s : f.steps) t.steps.push_back(s.state);
  return t;
}

// The step that was running at `seq` (began before it, not ended before it), if any.
const StepSpan* step_at(const Facts& f, std::uint64_t seq) {
  for (const auto& s : f.steps)
    if (s.begin && s.begin < seq && (s.end == 0 || s.end > seq)) return &s;
  return nullptr;
}

std::string step_name(const StepSpan& s) {
  return "step " + std::to_string(s.index) + " '" + s.label + "'" + (s.where.empty() ? "" : " (" + s.where + ")");
}

SourceLocation location_of(const std::string& where) {
  Event e;
  e.body = {{"where", where}};
  return check_of(e).where;
}

// When, relative to the steps, something happened at `seq`: "during step 3 'x' (f:1:2)",
// "before the steps ran", "after the steps".
std::string when_in_steps(const Facts& f, std::uint64_t seq) {
  if (const auto* s = step_at(f, seq)) return "during " + step_name(*s);
  bool any_before = false, any_after = false;
  for (const auto& s : f.steps) {
    if (!s.begin) continue;
    (s.begin < seq ? any_before : any_after) = true;
  }
  if (!any_before && !any_after) return f.steps.empty() ? "" : "before the steps ran";
  if (!any_before) return "before the steps ran";
  if (any_after) return "between steps";
  return "after the steps";
}

// Each subject's output up to `bound`: its last lines (with seqs) and its line count.
std::vector<SubjectTail> tails_of(const journal::EventLog& journal, std::uint64_t bound, std::size_t keep) {
  std::vector<SubjectTail> tails;
  std::map<std::string, std::size_t> index;
  journal.for_each_of({ev::output_line}, 1, [&](const Event& e) {
    if (e.seq > bound) return false;
    if (e.source.kind != "subject") return true;
    auto [it, fresh] = index.emplace(e.source.name, tails.size());
    if (fresh) tails.push_back({e.source.name, 0, {}, {}, {}});
    auto& t = tails[it->second];
    ++t.lines;
    t.seqs.push_back(e.seq);
    t.streams.push_back(e.body.value("stream", std::string("stdout")));
    t.texts.push_back(plain_text(e.body.value("line", std::string())));
    if (t.seqs.size() > keep) {
      t.seqs.erase(t.seqs.begin());
      t.streams.erase(t.streams.begin());
      t.texts.erase(t.texts.begin());
    }
    return true;
  });
  return tails;
}

bool noise(const Event& e) { return ev::resource_sample.is(e.type) || ev::resource_sampler.is(e.type); }

void fill_window(FailureStory& story, const journal::EventLog& journal, const StoryOptions& o) {
  story.journal_events = journal.size();
  if (story.at_seq == 0 || story.at_seq > story.journal_events || o.context == 0) return;
  std::size_t before = o.context - o.context / 4, after = o.context / 4;  // the cause counts as before
  std::deque<Event> shown;
  const std::uint64_t kLookLimit = 50 * o.context;  // events examined past noise, each way
  std::uint64_t seq = story.at_seq;
  for (std::uint64_t looked = 0; seq >= 1 && shown.size() < before && looked < kLookLimit; --seq, ++looked) {
    auto e = journal.at(seq);
    if (noise(e)) ++story.window_left_out;
    else shown.push_front(std::move(e));
    if (seq == 1) break;
  }
  std::size_t ahead = 0;
  for (std::uint64_t s = story.at_seq + 1, looked = 0; s <= story.journal_events && ahead < after && looked < kLookLimit;
       ++s, ++looked) {
    auto e = journal.at(s);
    if (noise(e)) {
      ++story.window_left_out;
      continue;
    }
    shown.push_back(std::move(e));
    ++ahead;
  }
  if (shown.empty()) return;
  story.window_from = shown.front().seq;
  story.window_to = shown.back().seq;
  for (const auto& e : shown) story.window.push_back(plain_text(event_line(e, {0, false, o.line_chars})));
}

// " (s.yaml:14:5)" for a check with a location.
std::string located(const CheckResult& c) {
  auto at = c.where.to_string();
  return at.empty() ? "" : " (" + at + ")";
}

// The sentence for the first cause, and where it happened.
void state_first_cause(FailureStory& story, const Facts& f, const journal::EventLog* journal,
                       const std::vector<SubjectTail>& tails) {
  const auto& first = *story.first;
  const auto& c = first.check;
  story.where = c.where;
  story.at_seq = first.seq;
  story.at_ns = first.t_ns;
  auto at_evidence = [&] {
    if (!journal || c.evidence.empty()) return;
    auto seq = c.evidence.front();
    if (seq == 0 || seq > journal->size()) return;
    story.at_seq = seq;
    story.at_ns = journal->at(seq).t_ns;
  };
  switch (c.kind) {
    case CheckKind::crash: {
      at_evidence();
      // "subject 'shop' is running" -> the subject's name; its exit as described in the actual.
      auto name = c.what.substr(0, c.what.rfind(" is running"));
      std::string exit = first_line(c.actual);
      exit = exit.substr(0, exit.find("; "));
      std::string when = when_in_steps(f, story.at_seq);
      story.sentence = name + " " + exit + (when.empty() ? "" : " " + when);
      if (const auto* s = step_at(f, story.at_seq); s && !s->where.empty()) story.where = location_of(s->where);
      auto subject = name.size() > 10 ? name.substr(9, name.size() - 10) : name;  // subject 'x'
      if (auto sent = f.signals.find(subject); sent != f.signals.end()) {  // the signal it died after
        const SentSignal* last = nullptr;
        for (const auto& sig : sent->second)
          if (sig.seq < story.at_seq) last = &sig;
        if (last) {
          const auto* by = step_at(f, last->seq);
          char ms[32];
          std::snprintf(ms, sizeof ms, "%.0fms", double(story.at_ns - last->t_ns) / 1e6);
          story.sentence += ", " + std::string(ms) + " after " + (by ? "step " + std::to_string(by->index) : std::string("bbx")) +
                            " sent it " + last->signal + " (#" + std::to_string(last->seq) + ")";
        }
      }
      for (const auto& t : tails)
        if (t.subject == subject && !t.texts.empty()) {
          std::size_t i = t.seqs.size();
          while (i > 0 && t.seqs[i - 1] > first.seq) --i;
          if (i > 0) story.sentence += "; its last line: " + util::quoted_bytes(t.texts[i - 1]);
        }
      return;
    }
    case CheckKind::readiness: {
      at_evidence();
      story.sentence = first_line(c.actual);
      story.sentence = story.sentence.substr(0, story.sentence.find("; last output:"));
      // "subject 'app' exited with code 78 before it was ready": its last words are the evidence.
      auto quote = c.what.find('\'');
      auto subject = quote == std::string::npos ? "" : c.what.substr(quote + 1, c.what.rfind('\'') - quote - 1);
      if (story.sentence.find(" before it was ready") != std::string::npos)
        for (const auto& t : tails)
          if (t.subject == subject && !t.texts.empty()) story.sentence += "; its last line: " + util::quoted_bytes(t.texts.back());
      return;
    }
    case CheckKind::timeout:
      story.sentence = "the scenario timed out (" + c.expected + "): " + first_line(c.actual);
      return;
    case CheckKind::step: {
      std::string what = c.what;
      if (const auto* s = step_at(f, first.seq); s && what.rfind("step '", 0) == 0)
        what = "step " + std::to_string(s->index) + " " + what.substr(5);
      story.sentence = what + located(c) + ": expected " + c.expected + ", got " + first_line(c.actual);
      return;
    }
    case CheckKind::expectation:
      at_evidence();
      story.sentence = c.what + located(c) + ": expected " + c.expected + ", got " + first_line(c.actual);
      return;
    case CheckKind::setup:
      story.sentence = c.what + located(c) + ": expected " + c.expected + ", got " + first_line(c.actual);
      return;
  }
}

// "step 'LABEL'" of a step's check ("step 'http GET /x' header Content-Type"); "" for others.
std::string step_of(const CheckResult& c) {
  if (c.kind != CheckKind::step || c.what.rfind("step '", 0) != 0) return "";
  auto end = c.what.find("' ", 6);
  return end == std::string::npos ? c.what : c.what.substr(0, end + 1);
}

// After a first cause that stops the run, later failures are its likely consequences, but
// not the other checks of the same step (each header of one response is judged on its own).
void mark_consequences(FailureStory& story) {
  if (!story.first || !stops_the_run(story.first->check.kind)) return;
  const auto same_step = step_of(story.first->check);
  for (auto& o : story.others) {
    if (!same_step.empty() && step_of(o.check) == same_step) continue;
    if (o.seq == 0 || o.seq > story.first->seq) o.consequence = true;
  }
}

FailureStory from_result(const ScenarioResult& r) {
  FailureStory story;
  story.verdict = r.verdict;
  for (const auto& c : r.checks) {
    if (c.passed) continue;
    StoryFailure f{plain_check(c), 0, 0, false};
    if (!story.first) story.first = f;
    else story.others.push_back(f);
  }
  if (story.first) {
    const auto& c = story.first->check;
    story.where = c.where;
    story.sentence = c.kind == CheckKind::crash ? c.what.substr(0, c.what.rfind(" is running")) + " " +
                                                       first_line(c.actual).substr(0, first_line(c.actual).find("; "))
                                                 : c.what + located(c) + ": expected " + c.expected + ", got " + first_line(c.actual);
    mark_consequences(story);
  } else if (r.verdict != Verdict::passed) {
    story.sentence = plain_text(r.message);
  }
  return story;
}

}  // namespace

std::string to_string(StepState s) {
  switch (s) {
    case StepState::passed: return "passed";
    case StepState::failed: return "failed";
    case StepState::cut_short: return "cut short";
    case StepState::unfinished: return "did not finish";
    case StepState::not_run: return "not run";
  }
  return "?";
}

std::string Tally::text() const {
  std::string out = std::to_string(expectations) + " expectation" + (expectations == 1 ? "" : "s");
  if (expectations > 0) {
    std::vector<std::string> parts{std::to_string(passed) + " passed", std::to_string(failed) + " failed"};
    if (skipped) parts.push_back(std::to_string(skipped) + " skipped");
    if (unchecked) parts.push_back(std::to_string(unchecked) + " not checked");
    out += ": ";
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  }
  if (steps.empty()) return out;
  out += "; " + std::to_string(steps.size()) + " step" + (steps.size() == 1 ? "" : "s");
  if (std::all_of(steps.begin(), steps.end(), [](StepState s) { return s == StepState::passed; }))
    return out + (steps.size() == 1 ? " passed" : " passed");
  out += ": ";
  for (std::size_t i = 0; i < steps.size();) {
    std::size_t j = i;
    while (j + 1 < steps.size() && steps[j + 1] == steps[i]) ++j;
    out += (i ? ", " : "") + std::to_string(i + 1) + (j > i ? "–" + std::to_string(j + 1) : "") + " " + to_string(steps[i]);
    i = j + 1;
  }
  return out;
}

std::string FailureStory::headline() const {
  if (at_seq == 0) return sentence;
  return "at " + seconds_text(at_ns) + " (#" + std::to_string(at_seq) + "): " + sentence;
}

std::size_t FailureStory::consequences() const {
  return static_cast<std::size_t>(std::count_if(others.begin(), others.end(), [](const StoryFailure& f) { return f.consequence; }));
}

FailureStory tell_failure(const ScenarioResult& result, const journal::EventLog* journal, const StoryOptions& options) {
  if (!journal || journal->size() == 0) {
    auto story = from_result(result);
    if (!journal) story.journal_note = "no journal";
    return story;
  }
  Facts facts = read_facts(*journal);
  FailureStory story;
  story.verdict = result.verdict;
  story.tally = tally_of(facts);
  story.cpu_pressure = facts.cpu_pressure;
  for (auto& f : facts.failures) f.check = plain_check(f.check);
  if (facts.failures.empty()) {  // a harness error or an interrupt: the result says what
    auto from = from_result(result);
    story.first = from.first;
    story.others = from.others;
    story.sentence = from.sentence;
    story.where = from.where;
  } else {
    story.first = facts.failures.front();
    story.others.assign(facts.failures.begin() + 1, facts.failures.end());
    // The tails are wanted up to the window's end; the window is known once the cause is.
    story.tails = tails_of(*journal, facts.failures.front().seq, options.tail_lines);
    state_first_cause(story, facts, journal, story.tails);
    mark_consequences(story);
  }
  fill_window(story, *journal, options);
  std::uint64_t bound = std::max({story.window_to, story.first ? story.first->seq : 0, story.at_seq});
  story.tails_to = bound == 0 ? journal->size() : bound;
  story.tails = tails_of(*journal, story.tails_to, options.tail_lines);
  return story;
}

FailureStory tell_failure(const ScenarioResult& result, const StoryOptions& options) {
  std::filesystem::path path = std::filesystem::path(result.dir) / "events.jsonl";
  std::error_code ec;
  if (result.dir.empty() || !std::filesystem::is_regular_file(path, ec)) {
    auto story = tell_failure(result, nullptr, options);
    story.journal_note = result.dir.empty() ? "no run directory" : "no journal at " + path.string();
    return story;
  }
  try {
    journal::StoredJournal journal(path);
    auto story = tell_failure(result, &journal, options);
    if (auto tail = journal.tail_problem())
      story.journal_note = path.string() + ":" + std::to_string(tail->line) + ": " + tail->what;
    return story;
  } catch (const std::exception& e) {
    auto story = tell_failure(result, nullptr, options);
    story.journal_note = std::string("the journal could not be read: ") + e.what();
    return story;
  }
}

}  // namespace bbx::report
