// sequence:/order: expectations against recorded journals.
#include <doctest/doctest.h>

#include "assert/sequence_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

model::EventMatch log_item(const std::string& text) {
  return {model::LogEvent{"app", "both", "", model::TextMatch{text, false, {}}}, {}};
}

model::EventMatch request_item(const std::string& path) { return {model::RequestEvent{"api", "", path}, {}}; }

std::uint64_t request(journal::Journal& j, const std::string& path) {
  return j.append({"fake", "api", 0}, bbx::journal::ev::http_request, {{"method", "GET"}, {"path", path}});
}

}  // namespace

TEST_CASE("an ordered subsequence across sources passes with its seqs") {
  auto j = temp_journal("seq-pass");
  line(*j, "app", "stderr", "starting");
  request(*j, "/noise");
  line(*j, "app", "stderr", "listening on 8080");
  request(*j, "/api/x");
  model::SequenceExpectation s{{log_item("starting"), log_item("listening"), request_item("/api/*")}};
  assertions::SequenceCheck check(s);
  CHECK(check.update(*j));
  auto r = check.result(here());
  CHECK(r.passed);
  CHECK(r.what == "sequence of 3 events");
  CHECK(r.expected == "in order: line of subject 'app' contains \"starting\", then line of subject 'app' contains "
                      "\"listening\", then request at fake 'api': any method /api/*");
  CHECK(r.actual == "at seq 1, seq 3, seq 4");
}

TEST_CASE("an item that came too early is named with where it occurred") {
  auto j = temp_journal("seq-early");
  request(*j, "/api/x");
  line(*j, "app", "stderr", "listening on 8080");
  model::SequenceExpectation s{{log_item("listening"), request_item("/api/*")}};
  assertions::SequenceCheck check(s);
  CHECK_FALSE(check.update(*j));
  auto r = check.result(here());
  CHECK(r.actual == "matched 1 (seq 2); item 2 (request at fake 'api': any method /api/*) did not follow seq 2; "
                    "it occurred only before, at seq 1");
  CHECK(r.evidence == std::vector<std::uint64_t>{2, 1});
  request(*j, "/api/y");
  CHECK(check.update(*j));  // a later request completes it
}

TEST_CASE("an item that never occurred") {
  auto j = temp_journal("seq-never");
  line(*j, "app", "stderr", "other");
  model::SequenceExpectation s{{log_item("listening"), request_item("/api/*")}};
  assertions::SequenceCheck check(s);
  check.update(*j);
  CHECK(check.result(here()).actual == "item 1 (line of subject 'app' contains \"listening\") never occurred");
}

TEST_CASE("a window lies between its first from event and the first to event after it") {
  auto j = temp_journal("seq-window");
  line(*j, "app", "stderr", "end");  // a `to` before `from` does not close the window
  line(*j, "app", "stderr", "begin");
  line(*j, "app", "stderr", "inside");
  line(*j, "app", "stderr", "end");
  model::Window w{log_item("begin"), log_item("end")};
  auto b = assertions::find_window(w, *j);
  CHECK(b.opened);
  CHECK(b.after == 2);
  CHECK(b.before == 4);
  CHECK(assertions::describe(w) == " during (line of subject 'app' contains \"begin\" .. line of subject 'app' contains \"end\")");
  CHECK_FALSE(assertions::find_window({log_item("never"), std::nullopt}, *j).opened);
}

TEST_CASE("mark events bound windows and order; a sequence can be limited to a window") {
  auto j = temp_journal("seq-mark");
  auto mark = [&](const std::string& name) { return j->append({"step", "mark " + name, 0}, bbx::journal::ev::mark, {{"name", name}}); };
  request(*j, "/before");
  mark("warm");
  request(*j, "/inside");
  line(*j, "app", "stderr", "inside");
  mark("done");
  model::EventMatch warm{model::MarkEvent{"warm"}, {}};
  model::EventMatch done{model::MarkEvent{"done"}, {}};
  auto b = assertions::find_window({warm, done}, *j);
  CHECK(b.after == 2);
  CHECK(b.before == 5);
  CHECK(assertions::describe(warm) == "mark 'warm'");
  model::EventMatch other{model::MarkEvent{"war"}, {}};  // exact names, not prefixes or globs
  CHECK_FALSE(assertions::find_window({other, std::nullopt}, *j).opened);

  model::SequenceExpectation s{{request_item("/*"), log_item("inside")}};
  assertions::SequenceCheck check(s);
  check.limit(b.after, b.before);
  CHECK(check.update(*j));
  CHECK(check.result(here()).actual == "at seq 3, seq 4");
  model::SequenceExpectation late{{log_item("inside"), request_item("/*")}};
  assertions::SequenceCheck limited(late);
  limited.limit(b.after, b.before);
  CHECK_FALSE(limited.update(*j));
  CHECK(limited.result(here()).actual == "matched 1 (seq 4); item 2 (request at fake 'api': any method /*) did not follow "
                                         "seq 4; it occurred only before, at seq 3");
}
