#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "fakes/metrics/journal_events.hpp"
#include "read_journal.hpp"

using namespace bbx::fakes;
using bbx::journal::Journal;

namespace {

std::filesystem::path temp_journal(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit";
  std::filesystem::create_directories(dir);
  return dir / (name + ".jsonl");
}

void feed(Journal& j, const std::string& fake, std::uint64_t n, std::string_view payload) {
  std::vector<Journal::Pending> events;
  datagram_events(fake, {n, "127.0.0.1:1"}, payload, parse_statsd_datagram(payload), events);
  j.append_batch(std::move(events));
}

}  // namespace

TEST_CASE("a datagram becomes one statsd.datagram event with its samples inline, then its rare parts") {
  Journal j(temp_journal("metric-journal-shape"));
  feed(j, "m", 1, "a:1|c|#x:y\n_e{1,2}:t|hi\n_sc|svc|2|m:down\nbad line");
  auto events = bbx::testing::read_journal(j.path()).events;
  REQUIRE(events.size() == 4);
  CHECK(events[0].type == "statsd.datagram");
  CHECK(events[0].body["raw"] == "a:1|c|#x:y\n_e{1,2}:t|hi\n_sc|svc|2|m:down\nbad line");
  CHECK(events[0].body["samples"][0]["tags"] == nlohmann::json({"x:y"}));
  CHECK(events[0].body["events"] == 1);
  CHECK(events[0].body["errors"] == 1);
  CHECK(events[1].type == "statsd.event");
  CHECK(events[2].type == "statsd.service_check");
  CHECK(events[2].body["message"] == "down");
  CHECK(events[3].type == "statsd.parse_error");
  CHECK(events[3].body["line"] == "bad line");
  CHECK(events[3].body["n"] == 1);
  for (const auto& e : events) CHECK(e.source.name == "m");
}

TEST_CASE("aggregates rebuilt from the journal equal aggregates fed directly") {
  Journal j(temp_journal("metric-journal-aggregate"));
  const char* payloads[] = {"hits:2|c|@0.5|#a:1", "hits:1|c|#a:1", "temp:5|g", "temp:-2|g", "lat:10|ms",
                            "lat:30|ms", "users:bob|s", "users:amy|s", "users:bob|s", "oops"};
  MetricAggregates direct;
  std::uint64_t n = 0;
  for (const char* p : payloads) {
    feed(j, "m", ++n, p);
    direct.add(parse_statsd_datagram(p));
  }
  feed(j, "other", ++n, "hits:100|c");
  auto replay = aggregate_from_journal(j, "m");
  CHECK(replay.find("hits", MetricType::counter)->sum == direct.find("hits", MetricType::counter)->sum);
  CHECK(replay.find("hits", MetricType::counter)->sum == 5.0);
  CHECK(replay.find("hits", MetricType::counter, {{"a", "1"}})->samples == 2);
  CHECK(replay.find("temp", MetricType::gauge)->value == 3.0);
  CHECK(*replay.percentile("lat", MetricType::timer, 50) == 10.0);
  CHECK(replay.find("users", MetricType::set)->distinct == 2);
  CHECK(replay.bad_lines() == 1);
  CHECK(aggregate_from_journal(j, "other").find("hits", MetricType::counter)->sum == 100.0);
}

TEST_CASE("sample_from_json inverts to_json, set members and deltas included") {
  for (const char* line : {"g:-3|g|#k,v:w", "s:a:b|s", "t:1.5|ms|@0.25|T1700000000", "c:1|c|c:abc"}) {
    auto parsed = parse_statsd_datagram(line);
    REQUIRE(parsed.samples.size() == 1);
    auto back = sample_from_json(to_json(parsed.samples[0]));
    CHECK(to_json(back) == to_json(parsed.samples[0]));
  }
}

TEST_CASE("dropped_from_journal sums the fake's statsd.loss events") {
  Journal j(temp_journal("metric-journal-loss"));
  j.append({"fake", "m", 0}, bbx::journal::ev::statsd_loss, {{"dropped", 3}, {"total", 3}, {"counter", "SO_RXQ_OVFL"}});
  j.append({"fake", "x", 0}, bbx::journal::ev::statsd_loss, {{"dropped", 9}, {"total", 9}, {"counter", "SO_RXQ_OVFL"}});
  j.append({"fake", "m", 0}, bbx::journal::ev::statsd_loss, {{"dropped", 4}, {"total", 7}, {"counter", "SO_MEMINFO"}});
  CHECK(dropped_from_journal(j, "m") == 7);
}

TEST_CASE("a datagram's line is the line its tree would have been, for every kind of sample field") {
  // A set, a gauge delta, a container, a timestamp, tags with and without values, a sample
  // rate, a fractional value, bytes that are not UTF-8 (\xHH in the journal either way), and
  // an event, a check and an error.
  std::string payload =
      "users:alice|s\ntemp:-1.5|g|#room:a,flag\nreq:1|c|@0.25|c:abc123|T1700000000\nlat:0.1|ms\n"
      "bad\xff.name:2|c\n_e{1,1}:t|x\n_sc|svc|0\nnot a metric";
  std::vector<Journal::Pending> events;
  datagram_events("m", {7, "127.0.0.1:5"}, payload, parse_statsd_datagram(payload), events);
  REQUIRE(events.size() == 4);
  REQUIRE(events[0].deferred);
  auto tree = events[0].deferred->tree();
  // The tree holds what to_json gives, sample by sample.
  auto parsed = parse_statsd_datagram(payload);
  REQUIRE(tree["samples"].size() == parsed.samples.size());
  for (std::size_t i = 0; i < parsed.samples.size(); ++i) CHECK(tree["samples"][i] == to_json(parsed.samples[i]));
  CHECK(tree["n"] == 7);
  CHECK(tree["from"] == "127.0.0.1:5");
  CHECK(tree["events"] == 1);
  CHECK(tree["checks"] == 1);
  CHECK(tree["errors"] == 1);
  // Journaled as text and journaled as that tree: the same line but for seq, t_ns and wall.
  auto path = temp_journal("metric-journal-deferred");
  {
    Journal j(path);
    std::vector<Journal::Pending> both;
    both.push_back(std::move(events[0]));
    both.push_back({{"fake", "m", 0}, bbx::journal::ev::statsd_datagram, tree});
    j.append_batch(std::move(both));
  }
  std::ifstream in(path);
  std::string deferred_line, tree_line;
  std::getline(in, deferred_line);
  std::getline(in, tree_line);
  auto body = [](const std::string& line) { return line.substr(line.find("\"body\":")); };
  CHECK(body(deferred_line) == body(tree_line));
  CHECK(deferred_line.find("bad\\\\xFF.name") != std::string::npos);  // the byte as \\xFF
}

TEST_CASE("a graphite tag whose name holds ':' is journaled as pairs too, and read back as sent") {
  // "k:v" alone read "r:ole=db" back as {r, "ole:db"}: a check re-reading the journal then
  // disagreed with the live one.
  auto parsed = parse_graphite_line("db.q;r:ole=db;dc=eu:1 7 1700000000\nplain;dc=eu 1 1700000000\n");
  REQUIRE(parsed.samples.size() == 2);
  auto j = to_json(parsed.samples[0]);
  CHECK(j["tags"] == nlohmann::json({"r:ole:db", "dc:eu:1"}));
  CHECK(j["tag_pairs"] == nlohmann::json::array({nlohmann::json::array({"r:ole", "db"}), nlohmann::json::array({"dc", "eu:1"})}));
  auto back = sample_from_json(j);
  CHECK(back.tags == Tags{{"r:ole", "db"}, {"dc", "eu:1"}});
  CHECK_FALSE(to_json(parsed.samples[1]).contains("tag_pairs"));  // no key with ':': as before
  CHECK(sample_from_json(to_json(parsed.samples[1])).tags == Tags{{"dc", "eu"}});

  // The journal's line (written from the parsed samples) holds what to_json gives.
  std::vector<Journal::Pending> events;
  std::string payload = "db.q;r:ole=db;dc=eu:1 7 1700000000\n";
  datagram_events("carbon", {1, "127.0.0.1:5"}, payload, parse_graphite_line(payload), events);
  auto path = temp_journal("metric-journal-graphite-pairs");
  {
    Journal jr(path);
    jr.append_batch(std::move(events));
  }
  auto read = bbx::testing::read_journal(path).events;
  REQUIRE(read.size() == 1);
  CHECK(read[0].body["samples"][0] == j);
  CHECK(sample_from_json(read[0].body["samples"][0]).tags == back.tags);
}
