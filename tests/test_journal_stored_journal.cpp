// The stored journal: the streaming reader of events.jsonl behind every view of a finished
// run, checked against files the live journal wrote and files damaged as a killed run leaves
// them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "journal/journal.hpp"
#include "journal/stored_journal.hpp"

using namespace bbx::journal;

namespace {

std::filesystem::path path_for(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit";
  std::filesystem::create_directories(dir);
  return dir / (name + ".jsonl");
}

std::vector<bbx::Event> all_of(const EventLog& log, const TypeFilter& types = {}, std::uint64_t from = 1) {
  std::vector<bbx::Event> out;
  log.for_each_of(types, from, [&](const bbx::Event& e) {
    out.push_back(e);
    return true;
  });
  return out;
}

// A journal of n events alternating output.line (even i) and http.request (odd i).
std::filesystem::path written(const std::string& name, int n) {
  auto p = path_for(name);
  Journal j(p);
  for (int i = 0; i < n; ++i) {
    if (i % 2 == 0) j.append({"subject", "app", 7}, ev::output_line, {{"line", std::to_string(i)}});
    else j.append({"fake", "api", 0}, ev::http_request, {{"i", i}});
  }
  return p;
}

}  // namespace

TEST_CASE("reads back what the live journal wrote, in seq order") {
  auto p = path_for("roundtrip");
  {
    Journal j(p);
    j.append({"subject", "app", 7}, ev::output_line, {{"stream", "stderr"}, {"line", "x\ty"}});
    j.append({"fake", "api", 0}, ev::http_request, {{"method", "GET"}});
  }
  StoredJournal stored(p);
  auto events = all_of(stored);
  REQUIRE(events.size() == 2);
  CHECK(events[0].source == bbx::EventSource{"subject", "app", 7});
  CHECK(events[0].body["line"] == "x\ty");
  CHECK(events[1].seq == 2);
  CHECK(events[1].type == "http.request");
  CHECK(stored.size() == 2);
  CHECK_FALSE(stored.tail_problem());
}

TEST_CASE("a type-filtered scan from a seq sees only those types, resumes where it stopped") {
  auto p = written("filtered", 5000);
  StoredJournal stored(p);
  auto requests = all_of(stored, {ev::http_request}, 2001);
  REQUIRE(requests.size() == 1500);
  CHECK(requests.front().seq == 2002);
  CHECK(requests.back().seq == 5000);
  for (const auto& e : requests) CHECK(e.type == "http.request");
  // Stopping returns the seq after the last event looked at; resuming there continues.
  std::uint64_t next = stored.for_each_of({}, 10, [](const bbx::Event& e) { return e.seq < 12; });
  CHECK(next == 13);
  CHECK(stored.for_each_of({}, next, [](const bbx::Event&) { return true; }) == 5001);
  // Names given at run time filter the same way.
  CHECK(all_of(stored, TypeFilter(std::vector<std::string>{"output.line"}), 4990).size() == 5);
}

TEST_CASE("at() and size() find any event; past the end is out of range") {
  auto p = written("at", 3000);
  StoredJournal stored(p);
  CHECK(stored.at(2500).seq == 2500);
  CHECK(stored.at(2500).body["i"] == 2499);
  CHECK(stored.at(1).seq == 1);
  CHECK(stored.at(3000).seq == 3000);  // after the index was built by the scans above
  CHECK(stored.size() == 3000);
  CHECK_THROWS_AS(stored.at(3001), std::out_of_range);
  CHECK_THROWS_AS(stored.at(0), std::out_of_range);
}

TEST_CASE("the live journal and the stored one answer the same scan alike") {
  auto p = path_for("same");
  Journal live(p, JournalOptions{4096});  // most events evicted: re-read from the file
  for (int i = 0; i < 800; ++i)
    live.append({"fake", "api", 0}, i % 3 ? ev::http_request : ev::http_response, {{"i", i}});
  live.flush();
  StoredJournal stored(p);
  auto a = all_of(live, {ev::http_response}, 100);
  auto b = all_of(stored, {ev::http_response}, 100);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].seq == b[i].seq);
    CHECK(a[i].body == b[i].body);
    CHECK(a[i].wall == b[i].wall);
  }
}

TEST_CASE("a cut-off last line is reported, and every complete event kept") {
  auto p = written("truncated", 2);
  { std::ofstream(p, std::ios::app) << "{\"seq\":3,\"t_ns\":5,\"wa"; }
  StoredJournal stored(p);
  CHECK(all_of(stored).size() == 2);
  auto tail = stored.tail_problem();
  REQUIRE(tail);
  CHECK(tail->line == 3);
  CHECK(tail->what == "no newline at the end (the run was cut off)");
  CHECK(stored.size() == 2);
}

TEST_CASE("an unparsable last line is a cut tail too, for scans and for size()") {
  auto p = written("bad-tail", 2);
  { std::ofstream(p, std::ios::app) << "{\"seq\":3,\"t_ns\":5\n"; }
  StoredJournal counted(p);
  CHECK(counted.size() == 2);
  REQUIRE(counted.tail_problem());
  CHECK(counted.tail_problem()->line == 3);
  StoredJournal scanned(p);
  CHECK(all_of(scanned).size() == 2);
  REQUIRE(scanned.tail_problem());
  CHECK(scanned.tail_problem()->what.rfind("not JSON", 0) == 0);
}

TEST_CASE("a corrupt line in the middle is an error with its position") {
  auto p = written("corrupt", 1);
  { std::ofstream(p, std::ios::app) << "garbage\n{\"also\": 1}\n"; }
  StoredJournal stored(p);
  try {
    all_of(stored);
    FAIL("expected an error");
  } catch (const bbx::Error& e) {
    CHECK(e.formatted().find(p.string() + ":2:1: not JSON") == 0);
  }
}

TEST_CASE("a missing file or a directory is refused at once") {
  CHECK_THROWS_AS(StoredJournal(path_for("never-written")), bbx::Error);
  CHECK_THROWS_AS(StoredJournal(std::filesystem::temp_directory_path()), bbx::Error);
}

namespace {

std::vector<std::pair<std::uint64_t, std::string>> refs_of(const EventLog& log, const TypeFilter& types = {},
                                                           std::uint64_t from = 1) {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  log.for_each_ref_of(types, from, [&](const EventRef& e) {
    out.emplace_back(e.seq, std::string(e.type) + " " + e.body.json());
    return true;
  });
  return out;
}

}  // namespace

TEST_CASE("views of the lines give what the parsed events give, filtered and resumed alike") {
  auto p = written("refs", 300);
  StoredJournal stored(p);
  auto refs = refs_of(stored, {ev::http_request}, 101);
  auto events = all_of(stored, {ev::http_request}, 101);
  REQUIRE(refs.size() == events.size());
  for (std::size_t i = 0; i < refs.size(); ++i) {
    CHECK(refs[i].first == events[i].seq);
    CHECK(refs[i].second == events[i].type + " " + events[i].body.dump());
  }
  std::uint64_t seen = 0;
  auto next = stored.for_each_ref_of({}, 1, [&](const EventRef& e) { return ++seen < 10 && e.seq > 0; });
  CHECK(next == 11);
}

TEST_CASE("a line not in the writer's form is parsed whole; corruption is still an error") {
  auto p = written("refs-odd", 1);
  {
    std::ofstream out(p, std::ios::app);
    // Keys in another order and a name with an escape: not the fast form, still an event.
    out << R"({"t_ns":9,"seq":2,"wall":"w","source":{"kind":"subject","name":"a\"b","pid":1},"type":"output.line","body":{"line":"x"},"attrs":{}})"
        << "\ngarbage\n" << R"({"seq":4})" << "\n";
  }
  StoredJournal stored(p);
  std::vector<std::string> names;
  try {
    stored.for_each_ref_of({}, 1, [&](const EventRef& e) {
      names.emplace_back(e.source.name);
      CHECK((e.seq == 2) == (e.line.empty() && e.event != nullptr));
      return true;
    });
    FAIL("expected an error");
  } catch (const bbx::Error& e) {
    CHECK(e.formatted().find(p.string() + ":3:1: not JSON") == 0);
  }
  CHECK(names == std::vector<std::string>{"app", "a\"b"});
}
