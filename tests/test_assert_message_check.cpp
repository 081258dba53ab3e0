// message: expectations (generic TCP fakes) against recorded journals, with the exact
// failure text; and message events in sequences.
#include <doctest/doctest.h>

#include "assert/message_check.hpp"
#include "assert/sequence_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::MessageCheck;

namespace {

std::uint64_t message(journal::Journal& j, const std::string& data, std::uint64_t conn = 1, const std::string& fake = "kv") {
  return j.append({"fake", fake, 0}, bbx::journal::ev::tcp_message, {{"conn", conn}, {"client", "127.0.0.1:5000"}, {"data", data},
                                                     {"bytes", data.size()}, {"reply", 0}});
}

model::MessageExpectation spec(std::optional<model::TextMatch> text, model::Count c = {1, INT64_MAX, {}, ">= 1"}) {
  model::MessageExpectation m;
  m.fake = "kv";
  m.text = std::move(text);
  m.count = c;
  return m;
}

model::TextMatch contains(std::string s) { return {std::move(s), false, here()}; }
model::TextMatch matches(std::string s) { return {std::move(s), true, here()}; }

CheckResult run(const model::MessageExpectation& s, const journal::Journal& j) { return run_check<MessageCheck>(s, j); }

}  // namespace

TEST_CASE("matching messages at the fake are counted with their seqs; other fakes and kinds are ignored") {
  auto j = temp_journal("msg-pass");
  auto a = message(*j, "GET apple");
  message(*j, "GET apple", 1, "other");
  line(*j, "app", "stdout", "GET apple");
  auto b = message(*j, "GET pear", 2);
  auto r = run(spec(matches("^GET \\w+$"), {2, 2, {}, "2"}), *j);
  CHECK(r.passed);
  CHECK(r.what == "message at fake 'kv' matches /^GET \\w+$/");
  CHECK(r.expected == "exactly 2 matching");
  CHECK(r.actual == "2 matching");
  CHECK(r.evidence == std::vector<std::uint64_t>{a, b});
  CHECK(run(spec(std::nullopt), *j).what == "any message at fake 'kv'");
}

TEST_CASE("too few: the closest other messages are named with seq and connection") {
  auto j = temp_journal("msg-near");
  message(*j, "PING");
  message(*j, "GET kex", 2);
  message(*j, "QUIT");
  auto r = run(spec(contains("GET key")), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.actual ==
        "0 matching; 3 other messages at 'kv'; closest: \"GET kex\" (seq 2, conn 2), \"QUIT\" (seq 3, conn 1), "
        "\"PING\" (seq 1, conn 1)");
  CHECK(r.evidence == std::vector<std::uint64_t>{2, 3, 1});
}

TEST_CASE("too many: the matching messages are listed; none at all says so") {
  auto j = temp_journal("msg-many");
  message(*j, "PING");
  message(*j, "PING");
  auto r = run(spec(contains("PING"), {0, 0, {}, "0"}), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exactly 0 matching");
  CHECK(r.actual == "2 matching: \"PING\" (seq 1, conn 1), \"PING\" (seq 2, conn 1)");

  auto empty = temp_journal("msg-none");
  auto none = run(spec(contains("PING")), *empty);
  CHECK(none.actual == "0 matching; no other messages at 'kv'");
}

TEST_CASE("a window limits the messages counted") {
  auto j = temp_journal("msg-window");
  message(*j, "PING");
  auto from = j->append({"step", "go", 0}, bbx::journal::ev::step_begin, nlohmann::json::object());
  message(*j, "PING");
  auto one_ping = spec(contains("PING"), {1, 1, {}, "1"});  // the check refers to it
  MessageCheck check(one_ping);
  check.limit(from, UINT64_MAX);
  CHECK(check.update(*j));
}

TEST_CASE("a message event orders in a sequence") {
  auto j = temp_journal("msg-seq");
  j->append({"step", "go", 0}, bbx::journal::ev::step_begin, nlohmann::json::object());
  message(*j, "HELLO");
  model::SequenceExpectation s;
  model::EventMatch step{model::StepEvent{"go"}, {}};
  model::EventMatch msg{model::MessageEvent{"kv", contains("HELLO")}, {}};
  s.items = {step, msg};
  assertions::SequenceCheck check(s);
  CHECK(check.update(*j));
  CHECK(assertions::describe(msg) == "message at fake 'kv' contains \"HELLO\"");
}
