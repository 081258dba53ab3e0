#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "bbx/error.hpp"
#include "journal/journal.hpp"
#include "journal/journal_reader.hpp"

using bbx::journal::Journal;
using bbx::journal::JournalOptions;

namespace {

std::filesystem::path temp_journal(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit";
  std::filesystem::create_directories(dir);
  return dir / (name + ".jsonl");
}

std::size_t count_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) ++n;
  return n;
}

}  // namespace

TEST_CASE("append stamps dense seqs, monotonic times and writes one line per event") {
  auto path = temp_journal("append");
  Journal j(path);
  auto a = j.append({"runner", "r", 0}, "a", {{"x", 1}});
  auto b = j.append({"subject", "app", 42}, "b", {{"line", "hello \"quoted\"\n"}});
  CHECK(a == 1);
  CHECK(b == 2);
  CHECK(j.size() == 2);
  CHECK(count_lines(path) == 2);  // written before append returned: not deferred
  auto first = j.at(1), second = j.at(2);
  CHECK(second.t_ns >= first.t_ns);
  CHECK(second.source.pid == 42);
  CHECK(second.body["line"] == "hello \"quoted\"\n");
  CHECK(first.wall.size() == std::string("2026-11-22T05:40:01.123456Z").size());
}

TEST_CASE("events evicted from memory are re-read from disk in seq order") {
  auto path = temp_journal("evict");
  Journal j(path, JournalOptions{4096});
  for (int i = 0; i < 500; ++i) j.append({"fake", "f", 0}, "http.request", {{"i", i}});
  std::vector<int> seen;
  j.for_each(1, [&](const bbx::Event& e) {
    seen.push_back(e.body["i"].get<int>());
    return true;
  });
  REQUIRE(seen.size() == 500);
  for (int i = 0; i < 500; ++i) CHECK(seen[i] == i);
  CHECK(j.at(3).body["i"] == 2);
}

TEST_CASE("for_each stops when the callback returns false and starts at from_seq") {
  Journal j(temp_journal("foreach"));
  for (int i = 0; i < 10; ++i) j.append({"r", "r", 0}, "t", {{"i", i}});
  std::vector<std::uint64_t> seqs;
  j.for_each(4, [&](const bbx::Event& e) {
    seqs.push_back(e.seq);
    return e.seq < 6;
  });
  CHECK(seqs == std::vector<std::uint64_t>{4, 5, 6});
}

TEST_CASE("wait_until is woken by an append from another thread, without sleeping") {
  Journal j(temp_journal("wait"));
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    j.append({"r", "r", 0}, "ready", {});
  });
  auto start = std::chrono::steady_clock::now();
  bool ok = j.wait_until([&] { return j.size() == 1; }, start + std::chrono::seconds(5));
  auto waited = std::chrono::steady_clock::now() - start;
  writer.join();
  CHECK(ok);
  CHECK(waited < std::chrono::seconds(2));
}

TEST_CASE("wait_until returns false at the deadline when nothing happens") {
  Journal j(temp_journal("timeout"));
  auto start = std::chrono::steady_clock::now();
  CHECK_FALSE(j.wait_until([&] { return j.size() > 0; }, start + std::chrono::milliseconds(30)));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(30));
}

TEST_CASE("observers see every event in order") {
  Journal j(temp_journal("observe"));
  std::vector<std::string> types;
  int id = j.add_observer([&](const bbx::Event& e) { types.push_back(e.type); });
  j.append({"r", "r", 0}, "one", {});
  j.append({"r", "r", 0}, "two", {});
  j.remove_observer(id);
  j.append({"r", "r", 0}, "three", {});
  CHECK(types == std::vector<std::string>{"one", "two"});
}

TEST_CASE("a journal cannot be created in a missing directory") {
  CHECK_THROWS_AS(Journal("/nonexistent-dir/x/events.jsonl"), bbx::Error);
}

TEST_CASE("append_batch writes consecutive seqs, one line each, and notifies observers per event") {
  Journal j(temp_journal("append-batch"));
  j.append({"t", "a", 0}, "first", {{"i", 0}});
  int seen = 0;
  j.add_observer([&](const bbx::Event&) { ++seen; });
  std::vector<Journal::Pending> batch;
  for (int i = 1; i <= 3; ++i) batch.push_back({{"t", "a", 0}, "batched", {{"i", i}}});
  CHECK(j.append_batch(std::move(batch)) == 2);
  CHECK(j.append_batch({}) == 0);
  CHECK(seen == 3);
  CHECK(j.size() == 4);
  CHECK(count_lines(j.path()) == 4);
  CHECK(j.at(4).body["i"] == 3);
  CHECK(j.at(3).type == "batched");
  auto read = bbx::journal::read_journal(j.path()).events;
  REQUIRE(read.size() == 4);
  CHECK(read[3].seq == 4);
}

TEST_CASE("deferred writes: queued lines are readable at once and written by flush, in seq order") {
  auto path = temp_journal("deferred");
  Journal j(path);
  int scheduled = 0;
  j.defer_writes([&] { ++scheduled; });
  j.append({"fake", "f", 0}, "http.request", {{"i", 1}});
  j.append({"fake", "f", 0}, "http.response", {{"i", 2}});
  CHECK(scheduled == 1);               // once per burst, when the queue becomes non-empty
  CHECK(count_lines(path) == 0);       // queued, not written
  CHECK(j.at(2).body["i"] == 2);       // but indexed and readable
  j.flush();
  CHECK(count_lines(path) == 2);
  j.append({"fake", "f", 0}, "http.request", {{"i", 3}});
  CHECK(scheduled == 2);
  j.append_batch({{{"fake", "s", 0}, "statsd.datagram", {{"i", 4}}}});  // other threads' batches write the queue first
  CHECK(count_lines(path) == 4);
  j.append({"fake", "f", 0}, "x", {{"i", 5}});
  j.defer_writes(nullptr);             // ending deferral writes what is queued
  CHECK(count_lines(path) == 5);
  j.append({"fake", "f", 0}, "y", {{"i", 6}});
  CHECK(count_lines(path) == 6);       // immediate again
  auto read = bbx::journal::read_journal(path);
  REQUIRE(read.events.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(read.events[i].body["i"] == int(i + 1));
}

TEST_CASE("deferred writes: queued lines are written before an eviction and by the destructor") {
  auto path = temp_journal("deferred-evict");
  {
    Journal j(path, JournalOptions{4096});
    j.defer_writes([] {});
    for (int i = 0; i < 200; ++i) j.append({"fake", "f", 0}, "e", {{"i", i}});
    CHECK(count_lines(path) > 0);      // the budget forced writes: evicted events are re-read from disk
    CHECK(j.at(1).body["i"] == 0);
    int n = 0;
    j.for_each(1, [&](const bbx::Event& e) { return e.body["i"] == n++; });
    CHECK(n == 200);
    j.append({"fake", "f", 0}, "last", {});
  }
  CHECK(count_lines(path) == 201);
}
