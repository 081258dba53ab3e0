// Metric fakes end to end through `bbx run`: UDP statsd fed by bbx-fixture and by the
// npm client hot-shots (DogStatsD tags, events, service checks), TCP statsd and graphite
// fed by bash, kernel drops failing the scenario, a `within:` check woken by the fake's own
// thread. Assertions read events.jsonl.
#include <doctest/doctest.h>

#include <cstdlib>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

std::vector<nlohmann::json> samples_of(const std::vector<Event>& datagrams) {
  std::vector<nlohmann::json> out;
  for (const auto& d : datagrams)
    for (const auto& s : d.body["samples"]) out.push_back(s);
  return out;
}

const nlohmann::json* find_sample(const std::vector<nlohmann::json>& samples, const std::string& name) {
  for (const auto& s : samples)
    if (s["name"] == name) return &s;
  return nullptr;
}

// Installs hot-shots into build/node once; "" when ready, else why not.
std::string hot_shots_dir(std::filesystem::path& dir) {
  dir = bbx_binary().parent_path() / "node";
  if (std::filesystem::exists(dir / "node_modules/hot-shots/package.json")) return "";
  if (std::system("command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1") != 0)
    return "npm or node is not installed";
  auto r = run_command({"npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", dir.string(), "hot-shots@17"},
                       std::chrono::seconds(180));
  if (r.exit_code != 0) return "npm install hot-shots failed: " + r.err.substr(0, 400);
  return "";
}

}  // namespace

TEST_CASE("the UDP statsd fake journals each datagram raw and parsed from bbx-fixture") {
  auto run = run_scenario_yaml(fresh_dir("statsd-fixture"), R"(name: statsd fixture
fakes:
  metrics:
    statsd: {port: auto}
subjects:
  app:
    command: [bbx-fixture, --listen, "18181", --statsd, "127.0.0.1:${fakes.metrics.port}"]
    ready: {listening: 18181}
steps:
  - http: {get: "http://127.0.0.1:18181/x"}
    expect: {status: 200}
  - sleep: 300ms
)");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto receiver = events_of(run.events, "statsd.receiver");
  REQUIRE(receiver.size() == 1);
  CHECK(receiver[0].body["transport"] == "udp");
  CHECK(receiver[0].body["receive_buffer"].get<int>() >= 200000);
  auto datagrams = events_of(run.events, "statsd.datagram");
  std::vector<std::string> raws;
  for (auto& d : datagrams) raws.push_back(d.body["raw"]);
  CHECK(std::find(raws.begin(), raws.end(), "fixture.started:1|c") != raws.end());
  CHECK(std::find(raws.begin(), raws.end(), "fixture.requests:1|c") != raws.end());
  auto samples = samples_of(datagrams);
  auto* latency = find_sample(samples, "fixture.latency");
  REQUIRE(latency);
  CHECK((*latency)["type"] == "ms");
  CHECK(events_of(run.events, "statsd.loss").empty());
}

TEST_CASE("the statsd fake understands the npm client hot-shots: tags, events, service checks") {
  std::filesystem::path node_dir;
  auto why = hot_shots_dir(node_dir);
  if (!why.empty()) {
    MESSAGE("SKIPPED: " << why);
    return;
  }
  auto dir = fresh_dir("statsd-hotshots");
  auto script = write_file(dir / "send.js", "const StatsD = require('" + (node_dir / "node_modules/hot-shots").string() + R"(');
const c = new StatsD({host: '127.0.0.1', port: Number(process.argv[2]), globalTags: {env: 'ci'},
                      errorHandler: e => { console.error(e); process.exit(3); }});
c.increment('shop.orders', 2, ['region:eu']);
c.gauge('shop.queue', 7);
c.timing('shop.latency', 12, ['route:/buy']);
c.set('shop.users', 'alice');
c.histogram('shop.size', 3.5);
c.distribution('shop.dist', 4);
c.event('deploy', 'version 2 | done', {alert_type: 'success', aggregation_key: 'k1'}, ['team:a']);
c.check('shop.health', c.CHECKS.WARNING, {message: 'slow disk', hostname: 'h1'}, ['team:a']);
c.close(() => { require('net').createServer().listen(18183, '127.0.0.1'); });  // ready: everything was sent
)");
  auto run = run_scenario_yaml(dir, R"(name: hot shots
fakes:
  dd:
    statsd: {port: auto}
subjects:
  sender:
    command: [node, ")" + script.string() + R"(", "${fakes.dd.port}"]
    ready: {listening: 18183, within: 30s}
steps:
  - sleep: 200ms
)");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto samples = samples_of(events_of(run.events, "statsd.datagram"));
  auto* orders = find_sample(samples, "shop.orders");
  REQUIRE(orders);
  CHECK((*orders)["type"] == "c");
  CHECK((*orders)["value"] == 2.0);
  CHECK((*orders)["tags"] == nlohmann::json({"env:ci", "region:eu"}));
  struct Want { const char* name; const char* type; };
  for (auto w : {Want{"shop.queue", "g"}, Want{"shop.latency", "ms"}, Want{"shop.users", "s"},
                 Want{"shop.size", "h"}, Want{"shop.dist", "d"}}) {
    auto* s = find_sample(samples, w.name);
    REQUIRE_MESSAGE(s, w.name);
    CHECK((*s)["type"] == w.type);
  }
  CHECK((*find_sample(samples, "shop.users"))["value"] == "alice");
  auto events = events_of(run.events, "statsd.event");
  REQUIRE(events.size() == 1);
  CHECK(events[0].body["title"] == "deploy");
  CHECK(events[0].body["text"] == "version 2 | done");
  CHECK(events[0].body["alert_type"] == "success");
  CHECK(events[0].body["aggregation_key"] == "k1");
  auto checks = events_of(run.events, "statsd.service_check");
  REQUIRE(checks.size() == 1);
  CHECK(checks[0].body["name"] == "shop.health");
  CHECK(checks[0].body["status"] == 1);
  CHECK(checks[0].body["message"] == "slow disk");
  CHECK(checks[0].body["host"] == "h1");
  CHECK(events_of(run.events, "statsd.parse_error").empty());
}

TEST_CASE("TCP statsd and graphite fakes parse lines; bad lines become parse_error events") {
  auto run = run_scenario_yaml(fresh_dir("statsd-tcp"), R"(name: tcp metrics
fakes:
  st:
    statsd: {port: auto, protocol: tcp}
  gr:
    graphite: {port: auto}
subjects:
  sender:
    command: [bash, -c, "printf 'a.b:3|c\nnot a metric\nq:1|g' > /dev/tcp/127.0.0.1/${fakes.st.port} && printf 'cpu.load;host=h1 0.5 1700000000\n' > /dev/tcp/127.0.0.1/${fakes.gr.port} && exec sleep 100"]
steps:
  - sleep: 2s
)");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto datagrams = events_of(run.events, "statsd.datagram");
  auto samples = samples_of(datagrams);
  REQUIRE(find_sample(samples, "a.b"));
  CHECK((*find_sample(samples, "a.b"))["value"] == 3.0);
  REQUIRE(find_sample(samples, "q"));  // unterminated last line, parsed at close
  auto* cpu = find_sample(samples, "cpu.load");
  REQUIRE(cpu);
  CHECK((*cpu)["tags"] == nlohmann::json({"host:h1"}));
  CHECK((*cpu)["timestamp"] == 1700000000);
  auto errors = events_of(run.events, "statsd.parse_error");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].body["line"] == "not a metric");
  CHECK(errors[0].source.name == "st");
}

TEST_CASE("datagrams the kernel drops fail the scenario loudly (on_loss: fail)") {
  auto dir = fresh_dir("statsd-loss");
  const std::string scenario = R"Y(name: statsd loss
fakes:
  metrics:
    statsd: {port: auto, receive_buffer: 4KiB}
subjects:
  blaster:
    command: [python3, -c, "import socket,time,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nfor i in range(50000): s.sendto(b'x:1|c',('127.0.0.1',int(sys.argv[1])))\nl=socket.create_server(('127.0.0.1',18184))\ntime.sleep(100)", "${fakes.metrics.port}"]
    ready: {listening: 18184, within: 30s}
steps:
  - sleep: 500ms
)Y";
  auto run = run_scenario_yaml(dir / "fail", scenario);
  const auto& r = run.result;
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("    capture of fake 'metrics'\n      expected: no loss\n      actual:   the kernel dropped ") !=
        std::string::npos);
  CHECK(r.out.find(" datagram(s) before bbx read them (receive buffer ") != std::string::npos);
  auto losses = events_of(run.events, "statsd.loss");
  REQUIRE_FALSE(losses.empty());
  std::uint64_t dropped = 0;
  for (auto& l : losses) dropped += l.body["dropped"].get<std::uint64_t>();
  auto datagrams = events_of(run.events, "statsd.datagram");
  CHECK(dropped + datagrams.size() == 50000);  // every datagram is either journaled or counted lost

  auto warn = run_scenario_yaml(dir / "warn", replaced(scenario, "4KiB}", "4KiB, on_loss: warn}"));
  INFO(warn.result.out, warn.result.err);
  CHECK(warn.result.exit_code == 0);
}

// The statsd fake journals on its own thread; checks after the stop must see every datagram
// that arrived before it (FakeServer::settle), not only those journaled so far. 20,000
// datagrams of 20 samples each leave the journal thread well behind the sender.
TEST_CASE("metric checks after the stop count every datagram the statsd fake received") {
  auto dir = fresh_dir("statsd-settle");
  const std::string scenario = R"Y(name: statsd settle
fakes:
  metrics:
    statsd: {port: auto}
steps:
  - command: [python3, -c, "import socket,sys\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\nd=b'burst.x:1|c\\n'*20\nfor i in range(20000): s.sendto(d,('127.0.0.1',int(sys.argv[1])))", "${fakes.metrics.port}"]
expect:
  - metric: {fake: metrics, name: burst.x, count: 400000}
)Y";
  auto run = run_scenario_yaml(dir / "pass", scenario);
  INFO(run.result.out, run.result.err);
  CHECK(run.result.exit_code == 0);
  CHECK(count_of(run.events, "statsd.datagram") == 20000);

  auto f = run_scenario_yaml(dir / "fail", replaced(scenario, "count: 400000", "count: 400001")).result;
  CHECK(f.exit_code == 1);
  CHECK(f.out.find("metric at fake 'metrics': burst.x\n      expected: count 400001\n"
                   "      actual:   count 400000 over 400000 samples\n") != std::string::npos);
}

TEST_CASE("a metric check with within: passes as the datagram is journaled, not at its deadline") {
  auto run = run_scenario_yaml(fresh_dir("statsd-within"), R"Y(name: statsd within
fakes:
  metrics:
    statsd: {port: auto}
subjects:
  sender:   # one datagram after a second, then silence: nothing else wakes the run's loop
    command: [bash, -c, "sleep 1; printf 'late.x:1|c' > /dev/udp/127.0.0.1/${fakes.metrics.port}; exec sleep 100"]
    sample: off
expect:
  - metric: {fake: metrics, name: late.x, count: 1, within: 30s}
)Y");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  auto datagrams = events_of(run.events, "statsd.datagram");
  auto passed = events_of(run.events, "assert.pass");
  REQUIRE(datagrams.size() == 1);
  REQUIRE(passed.size() == 1);
  CHECK(passed[0].t_ns - datagrams[0].t_ns < 2'000'000'000);  // the fallback would be the 30 s deadline
}
