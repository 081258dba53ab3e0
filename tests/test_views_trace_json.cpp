// trace.json from a small recorded journal (views_test_support.hpp): valid by every rule of
// tests/trace_validator.hpp; a process per subject and fake named by metadata, overlapping
// requests as async spans, steps as slices, flows from each sender to its request, a
// failure as a global instant, counters; and a journal split by size into valid parts.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "journal/stored_journal.hpp"
#include "trace_validator.hpp"
#include "views/trace_json.hpp"
#include "views_test_support.hpp"

using namespace bbx;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<json> with_ph(const json& doc, const std::string& ph) {
  std::vector<json> out;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == ph) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("the trace of a journal is valid Trace Event JSON with the layout the header promises") {
  testing::JournalFile file("trace_json");
  auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  auto result = views::write_trace_json(j, file.dir() / "trace.json");
  REQUIRE(result.parts.size() == 1);
  auto text = slurp(file.dir() / "trace.json");
  auto problems = testing::validate_trace(text);
  INFO(text);
  CHECK(problems.empty());
  for (const auto& p : problems) MESSAGE(p);
  CHECK(text.rfind("{\"displayTimeUnit\":\"ms\"", 0) == 0);
  auto doc = json::parse(text);

  std::map<std::string, std::int64_t> processes;
  for (const auto& m : with_ph(doc, "M"))
    if (m["name"] == "process_name") processes[m["args"]["name"]] = m["pid"];
  CHECK(processes.at("bbx") == views::kHarnessTracePid);
  CHECK(processes.at("subject front") == 11);  // the subject's pid as journaled
  CHECK(processes.at("subject back") == 13);
  CHECK(processes.count("fake api") == 1);
  CHECK(processes.count("fake tcp") == 1);

  // Overlapping requests (#8 and #9 are both open at 8 ms) are async spans, one per request.
  auto b = with_ph(doc, "b"), e = with_ph(doc, "e");
  REQUIRE(b.size() == 4);  // three requests and a TCP connection
  CHECK(b[0]["name"] == "GET /a");
  CHECK(b[0]["id"] == "8");
  CHECK(b[1]["id"] == "9");
  CHECK(e.size() == 4);

  // Steps are B/E on the harness; the failure is a global instant.
  CHECK(with_ph(doc, "B").size() == 2);
  CHECK(with_ph(doc, "E").size() == 2);
  bool failure = false;
  for (const auto& i : with_ph(doc, "i"))
    if (i["cat"] == "assert.fail" && i["s"] == "g" && i["args"]["seq"] == 23) failure = true;
  CHECK(failure);

  // Flows: front -> /a, back -> /b, bbx's step -> /c.
  auto s = with_ph(doc, "s"), f = with_ph(doc, "f");
  REQUIRE(s.size() == 3);
  CHECK(s[0]["pid"] == 11);
  CHECK(s[1]["pid"] == 13);
  CHECK(s[2]["pid"] == views::kHarnessTracePid);
  CHECK(s[2]["tid"] == 2);  // inside the step's slice on the steps thread
  CHECK(f.size() == 3);

  // Counters from resource.sample.
  auto c = with_ph(doc, "C");
  REQUIRE(c.size() == 4);
  CHECK(c[0]["args"]["rss"] == 3.0);
}

TEST_CASE("a trace over max_file_bytes is split by time into valid parts, open slices carried over") {
  testing::JournalFile file("trace_split");
  // A step open across many output lines and an unanswered request.
  file.add(0, {"scenario", "big", 0}, "scenario.begin", {{"id", "big"}});
  file.add(1, {"step", "long", 0}, "step.begin", {{"where", "x"}});
  file.add(2, {"fake", "api", 0}, "http.request", {{"method", "GET"}, {"target", "/slow"}, {"client", "c"}, {"route", 0}});
  for (int i = 0; i < 400; ++i)
    file.add(3 + i, {"subject", "app", 5}, "output.line", {{"stream", "stdout"}, {"line", "line " + std::to_string(i)}});
  file.add(500, {"step", "long", 0}, "step.end", {{"ok", true}});
  file.close();
  journal::StoredJournal j(file.path());
  auto result = views::write_trace_json(j, file.dir() / "trace.json", {.max_file_bytes = 20'000});
  REQUIRE(result.parts.size() > 2);
  CHECK(result.parts[1].file.filename() == "trace.2.json");
  for (std::size_t i = 0; i < result.parts.size(); ++i) {
    auto text = slurp(result.parts[i].file);
    auto problems = testing::validate_trace(text);
    INFO("part ", i + 1);
    CHECK(problems.empty());
    for (const auto& p : problems) MESSAGE(p);
    if (i > 0) CHECK(result.parts[i].from_ns == result.parts[i - 1].to_ns);
    CHECK(result.parts[i].bytes <= 20'000 + 4096);
  }
  // Every output line is in one of the parts: nothing dropped.
  std::size_t lines = 0;
  for (const auto& p : result.parts) {
    auto doc = json::parse(slurp(p.file));
    for (const auto& e : doc["traceEvents"])
      if (e.value("cat", std::string()) == "output.line") ++lines;
  }
  CHECK(lines == 400);
  // Writing again with a bigger limit removes the stale parts.
  views::write_trace_json(j, file.dir() / "trace.json");
  CHECK(!std::filesystem::exists(file.dir() / "trace.2.json"));
}

TEST_CASE("the validator catches what breaks a trace") {
  using testing::validate_trace;
  auto wrap = [](const std::string& events) { return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[" + events + "]}"; };
  CHECK(validate_trace(wrap(R"({"ph":"X","name":"a","ts":1,"dur":10,"pid":1,"tid":1},{"ph":"X","name":"b","ts":5,"dur":10,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"B","name":"a","ts":1,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"i","name":"a","ts":5,"pid":1,"tid":1},{"ph":"i","name":"b","ts":4,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"b","name":"a","cat":"c","id":"1","ts":1,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"s","name":"a","cat":"c","id":1,"ts":1,"pid":1,"tid":1})")).size() == 2);  // unbound, unfinished
  CHECK(validate_trace("{\"traceEvents\":[],\"displayTimeUnit\":\"ms\"}").size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"X","name":"a","ts":1,"dur":10,"pid":1,"tid":1},{"ph":"X","name":"b","ts":5,"dur":1,"pid":1,"tid":1})")).empty());
}
