#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "bbx/error.hpp"
#include "journal/journal.hpp"
#include "read_journal.hpp"
#include "util/text_buffer.hpp"

using bbx::journal::Journal;
using bbx::journal::JournalOptions;
using bbx::journal::ev;

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

// Stands in for the runner's event loop: keeps the drains a journal posts until run().
struct ManualLoop {
  std::mutex mutex;
  std::vector<std::function<void()>> posted;
  Journal::Poster poster() {
    return [this](std::function<void()> fn) {
      std::lock_guard lock(mutex);
      posted.push_back(std::move(fn));
    };
  }
  std::size_t run() {  // returns how many drains ran
    std::vector<std::function<void()>> now;
    {
      std::lock_guard lock(mutex);
      now.swap(posted);
    }
    for (auto& fn : now) fn();
    return now.size();
  }
};

}  // namespace

TEST_CASE("append stamps dense seqs, monotonic times and writes one line per event") {
  auto path = temp_journal("append");
  Journal j(path);
  auto a = j.append({"step", "r", 0}, ev::mark, {{"x", 1}});
  auto b = j.append({"step", "app", 42}, ev::mark, {{"line", "hello \"quoted\"\n"}});
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
  for (int i = 0; i < 500; ++i) j.append({"fake", "f", 0}, ev::http_request, {{"i", i}});
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
  for (int i = 0; i < 10; ++i) j.append({"step", "r", 0}, ev::mark, {{"i", i}});
  std::vector<std::uint64_t> seqs;
  j.for_each(4, [&](const bbx::Event& e) {
    seqs.push_back(e.seq);
    return e.seq < 6;
  });
  CHECK(seqs == std::vector<std::uint64_t>{4, 5, 6});
}

TEST_CASE("a journal cannot be created in a missing directory") {
  CHECK_THROWS_AS(Journal("/nonexistent-dir/x/events.jsonl"), bbx::Error);
}

TEST_CASE("append_batch writes consecutive seqs, one line each") {
  Journal j(temp_journal("append-batch"));
  j.append({"step", "a", 0}, ev::mark, {{"i", 0}});
  std::vector<Journal::Pending> batch;
  for (int i = 1; i <= 3; ++i) batch.push_back({{"fake", "a", 0}, ev::statsd_datagram, {{"i", i}}});
  CHECK(j.append_batch(std::move(batch)) == 2);
  CHECK(j.append_batch({}) == 0);
  CHECK(j.size() == 4);
  CHECK(count_lines(j.path()) == 4);
  CHECK(j.at(4).body["i"] == 3);
  CHECK(j.at(3).type == "statsd.datagram");
  auto read = bbx::testing::read_journal(j.path()).events;
  REQUIRE(read.size() == 4);
  CHECK(read[3].seq == 4);
}

TEST_CASE("posted drains: events are readable at once, written when the loop drains, in seq order") {
  auto path = temp_journal("posted");
  ManualLoop loop;
  Journal j(path);
  j.write_on(loop.poster());
  std::thread other([&] {
    for (int i = 0; i < 500; ++i) j.append_batch({{{"fake", "s", 0}, ev::statsd_datagram, {{"t", 1}}}});
  });
  for (int i = 0; i < 500; ++i) j.append({"fake", "f", 0}, ev::http_request, {{"t", 0}});
  other.join();
  CHECK(j.size() == 1000);
  CHECK(j.at(1000).seq == 1000);  // indexed before it is written
  CHECK(count_lines(path) == 0);  // no append wrote
  CHECK(loop.run() == 1);         // one drain for the whole burst
  CHECK(count_lines(path) == 1000);
  auto read = bbx::testing::read_journal(path);
  REQUIRE(read.events.size() == 1000);
  for (std::size_t i = 0; i < read.events.size(); ++i) CHECK(read.events[i].seq == i + 1);
}

TEST_CASE("posted drains: each burst posts one; write_on({}) writes the queue and appenders write again") {
  auto path = temp_journal("posted-modes");
  ManualLoop loop;
  Journal j(path);
  j.append({"step", "r", 0}, ev::mark, {});
  CHECK(count_lines(path) == 1);  // no poster yet: the appender writes
  j.write_on(loop.poster());
  j.append({"step", "r", 0}, ev::mark, {});
  j.append({"step", "r", 0}, ev::mark, {});
  CHECK(loop.run() == 1);
  CHECK(count_lines(path) == 3);
  j.append({"step", "r", 0}, ev::mark, {});  // a new burst posts a new drain
  j.append({"step", "r", 0}, ev::mark, {});
  j.write_on({});
  CHECK(count_lines(path) == 5);  // the switch wrote the queue
  j.append({"step", "r", 0}, ev::mark, {});
  CHECK(count_lines(path) == 6);  // written by the append itself
  CHECK(loop.run() == 1);         // the stale drain finds nothing and writes nothing twice
  auto read = bbx::testing::read_journal(path).events;
  REQUIRE(read.size() == 6);
  for (std::size_t i = 0; i < read.size(); ++i) CHECK(read[i].seq == i + 1);
  CHECK(read[5].type == "mark");
}

TEST_CASE("posted drains: only written events are evicted; the destructor writes what no drain did") {
  auto path = temp_journal("posted-evict");
  ManualLoop loop;
  {
    Journal j(path, JournalOptions{4096});
    j.write_on(loop.poster());
    for (int i = 0; i < 1000; ++i) j.append({"step", "f", 0}, ev::mark, {{"i", i}});
    loop.run();  // written, so evictable
    for (int i = 1000; i < 2000; ++i) j.append({"step", "f", 0}, ev::mark, {{"i", i}});
    int n = 0;
    j.for_each(1, [&](const bbx::Event& e) { return e.body["i"] == n++; });  // memory or disk, never a gap
    CHECK(n == 2000);
    CHECK(j.at(1).body["i"] == 0);
    j.append({"step", "f", 0}, ev::mark, {});
    CHECK(count_lines(path) == 1000);
  }
  CHECK(count_lines(path) == 2001);
}

namespace {

// A deferred body that counts how often it is made into a tree.
struct CountingBody final : bbx::journal::DeferredBody {
  explicit CountingBody(int v) : value(v) {}
  int value;
  mutable std::atomic<int> trees{0};
  nlohmann::json tree() const override {
    ++trees;
    return {{"v", value}, {"s", "caf\xc3\xa9 \"q\""}};
  }
  void append_text(bbx::util::TextBuffer& out) const override {
    out.append("{\"s\":\"caf\xc3\xa9 \\\"q\\\"\",\"v\":" + std::to_string(value) + "}");
  }
};

}  // namespace

TEST_CASE("deferred bodies: written as text, made into a tree only when a reader reaches the event") {
  auto path = temp_journal("deferred");
  ManualLoop loop;
  Journal j(path);
  j.write_on(loop.poster());
  auto skipped = std::make_shared<CountingBody>(1);
  auto read = std::make_shared<CountingBody>(2);
  j.append_deferred({"fake", "api", 0}, ev::http_request, skipped);
  j.append({"subject", "app", 7}, ev::output_line, {{"line", "hi"}});
  j.append_deferred({"fake", "api", 0}, ev::http_request, read);
  j.flush();
  CHECK(skipped->trees == 0);
  CHECK(read->trees == 0);

  std::vector<std::uint64_t> seen;
  auto next = j.for_each_of({ev::output_line}, 1, [&](const bbx::Event& e) {
    seen.push_back(e.seq);
    return true;
  });
  CHECK(seen == std::vector<std::uint64_t>{2});
  CHECK(next == 4);  // past the last event looked at, requests included
  CHECK(skipped->trees == 0);  // passed over by type, never built

  CHECK(j.at(3).body == nlohmann::json{{"v", 2}, {"s", "caf\xc3\xa9 \"q\""}});
  CHECK(j.at(3).body == j.at(3).body);
  CHECK(read->trees == 1);  // built once, then kept

  auto stop = j.for_each_of({ev::http_request}, 1, [&](const bbx::Event& e) { return e.seq != 1; });
  CHECK(stop == 2);  // fn said stop at seq 1

  auto lines = bbx::testing::read_journal(path).events;
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].body == nlohmann::json{{"v", 1}, {"s", "caf\xc3\xa9 \"q\""}});
  CHECK(lines[2].body == j.at(3).body);  // the text and the tree agree
}

TEST_CASE("for_each_of reads evicted events back, parsing only the lines of the wanted types") {
  Journal j(temp_journal("filtered_disk"), JournalOptions{1});  // everything written is evicted
  for (int i = 0; i < 10; ++i) {
    j.append({"fake", "api", 0}, ev::http_request, {{"i", i}, {"note", "\"type\":\"output.line\""}});
    j.append({"subject", "app", 1}, ev::output_line, {{"line", std::to_string(i)}});
  }
  std::vector<std::string> lines;
  auto next = j.for_each_of({ev::output_line}, 3, [&](const bbx::Event& e) {
    CHECK(e.type == "output.line");
    lines.push_back(e.body.at("line"));
    return true;
  });
  CHECK(lines == std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7", "8", "9"});
  CHECK(next == 21);
  int requests = 0;
  j.for_each_of({ev::http_request}, 1, [&](const bbx::Event& e) {
    CHECK(e.body.at("i") == requests++);
    return true;
  });
  CHECK(requests == 10);
}

namespace {

// A body whose text the writer cannot produce until the test opens the gate: a stuck disk.
struct GatedBody final : bbx::journal::DeferredBody {
  explicit GatedBody(std::shared_future<void> gate) : gate(std::move(gate)) {}
  std::shared_future<void> gate;
  nlohmann::json tree() const override { return nlohmann::json::object(); }
  void append_text(bbx::util::TextBuffer& out) const override {
    gate.wait();
    out.literal("{}");
  }
};

}  // namespace

TEST_CASE("posted drains: past the queue bound the appender drains itself, waits for a stuck drain, loses nothing") {
  auto path = temp_journal("backpressure");
  constexpr int kTotal = 60000;  // more than the queue bound
  std::promise<void> open;
  std::atomic<int> appended{0};
  ManualLoop loop;  // never run: the loop is stuck
  {
    Journal j(path);
    j.write_on(loop.poster());
    j.append_deferred({"step", "api", 0}, ev::mark, std::make_shared<GatedBody>(open.get_future().share()));
    std::thread producer([&] {
      for (int i = 1; i < kTotal; ++i) {
        j.append({"step", "api", 0}, ev::mark, nlohmann::json::object());
        ++appended;
      }
    });
    int last = -1;
    for (int i = 0; i < 100 && appended.load() != last; ++i) {  // until it stops moving (<= 5 s)
      last = appended.load();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(appended.load() < kTotal - 1);  // blocked in its own drain: the queue is bounded
    open.set_value();
    producer.join();
    CHECK(appended.load() == kTotal - 1);
    CHECK(count_lines(path) >= 32768);  // the producer's drain wrote, not the (stuck) loop
    j.flush();
  }
  CHECK(count_lines(path) == static_cast<std::size_t>(kTotal));
}

namespace {

// A deferred body whose tree is ~20x its text: `n` objects {"a":1} (a statsd datagram's
// samples are such a list).
struct WideBody final : bbx::journal::DeferredBody {
  explicit WideBody(int count) : n(count) {}
  int n;
  mutable std::atomic<int> trees{0};
  nlohmann::json tree() const override {
    ++trees;
    auto list = nlohmann::json::array();
    for (int i = 0; i < n; ++i) list.push_back({{"a", 1}});
    return {{"samples", std::move(list)}};
  }
  void append_text(bbx::util::TextBuffer& out) const override {
    std::string text = "{\"samples\":[";
    for (int i = 0; i < n; ++i) text += i ? ",{\"a\":1}" : "{\"a\":1}";
    out.append(text + "]}");
  }
};

}  // namespace

TEST_CASE("deferred bodies made into trees by a reader count their trees' size: the cache stays in its budget") {
  constexpr std::size_t kBudget = 1u << 20;
  Journal j(temp_journal("tree_bytes"), JournalOptions{kBudget});
  std::vector<std::weak_ptr<WideBody>> bodies;
  for (int i = 0; i < 20; ++i) {  // 40 KB of text each (160 KB estimated), a ~800 KB tree
    auto body = std::make_shared<WideBody>(5000);
    bodies.push_back(body);
    j.append_deferred({"fake", "metrics", 0}, ev::statsd_datagram, std::move(body));
  }
  j.flush();
  auto before = j.cached_bytes();
  CHECK(before <= kBudget);
  int seen = 0;
  j.for_each(1, [&](const bbx::Event& e) {
    seen += e.body["samples"].size() == 5000;
    return true;
  });
  CHECK(seen == 20);
  std::size_t kept = 0;  // bodies still in memory (the cache holds them, with their trees)
  for (const auto& b : bodies) kept += !b.expired();
  CHECK(kept <= 2);  // was 6: their trees, 5 MB, counted as 1 MB
  CHECK(j.cached_bytes() <= kBudget + 1'000'000);  // one event over the budget at most
  CHECK(j.at(20).body["samples"].size() == 5000);
}

TEST_CASE("a reader of events not yet written gets trees that are not kept (they could not be evicted)") {
  constexpr std::size_t kBudget = 1u << 20;
  ManualLoop loop;
  Journal j(temp_journal("unwritten_trees"), JournalOptions{kBudget});
  j.write_on(loop.poster());
  std::vector<std::shared_ptr<WideBody>> bodies;
  for (int i = 0; i < 20; ++i) {
    bodies.push_back(std::make_shared<WideBody>(5000));
    j.append_deferred({"fake", "metrics", 0}, ev::statsd_datagram, bodies.back());
  }
  auto read_all = [&] {
    int seen = 0;
    j.for_each(1, [&](const bbx::Event& e) {
      seen += e.body["samples"].size() == 5000;
      return true;
    });
    return seen;
  };
  CHECK(read_all() == 20);
  CHECK(read_all() == 20);
  for (const auto& b : bodies) CHECK(b->trees == 2);  // built for each reader, kept by none
  CHECK(j.cached_bytes() == 0);                         // unwritten: not counted, and no tree held
  loop.run();  // the loop writes them: now a tree is kept, counted, and evicts older ones
  CHECK(read_all() == 20);
  CHECK(j.cached_bytes() <= kBudget + 1'000'000);
  CHECK(j.at(20).body["samples"].size() == 5000);
  CHECK(bodies[19]->trees == 3);  // kept since the third read
  j.write_on({});
}

// The runner's loop takes up posted drains while it pumps and hands back with write_on({})
// when it stops pumping, many times a run, while fakes' threads go on appending. The queue
// write-out of write_on({}) and an appender's own writes must not interleave: the file
// would hold lines out of seq order and the offsets the journal re-reads evicted events
// by would point at other events' lines (a statsd check counted a datagram twice or missed one).
TEST_CASE("switching between posted drains and appenders' own writes keeps the file in seq order") {
  auto path = temp_journal("switching");
  constexpr int kTotal = 40000;
  ManualLoop loop;
  std::atomic<bool> done{false};
  {
    Journal j(path, JournalOptions{64u << 10});  // small: most events are re-read from the file
    std::thread producer([&] {
      for (int i = 1; i <= kTotal; ++i) j.append({"step", "api", 0}, ev::mark, {{"i", i}});
      done = true;
    });
    int switches = 0;
    while (!done.load() || switches < 10) {  // bounded: the producer ends after kTotal appends
      j.write_on(loop.poster());
      loop.run();
      j.write_on({});
      ++switches;
    }
    producer.join();
    j.flush();

    std::uint64_t expected = 1;
    std::size_t mismatched = 0;
    j.for_each(1, [&](const bbx::Event& e) {
      if (e.seq != expected || e.body.value("i", 0) != static_cast<int>(expected)) ++mismatched;
      ++expected;
      return true;
    });
    CHECK(mismatched == 0);
    CHECK(expected == kTotal + 1);
  }
  auto stored = bbx::testing::read_journal(path);
  REQUIRE(stored.events.size() == static_cast<std::size_t>(kTotal));
  std::size_t out_of_order = 0;
  for (std::size_t k = 0; k < stored.events.size(); ++k)
    if (stored.events[k].seq != k + 1) ++out_of_order;
  CHECK(out_of_order == 0);
}
