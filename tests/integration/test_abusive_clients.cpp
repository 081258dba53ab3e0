// Abusive clients of the fakes (issue #20): slowloris, a 1 GiB request body, malformed HTTP, a
// client that resets mid-response, invalid UTF-8 in every protocol, 64 KiB datagrams and 5,000
// concurrent connections, each sent by a client inside this test while `bbx run` serves a
// scenario (loopback only, every loop bounded in count and time). For each: bbx ends with the
// expected exit (no crash), its peak RSS stays under a stated bound (wait4's ru_maxrss: the
// largest of bbx and the runner and subjects it reaped), the journal records the abuse as what
// it was, and the verdicts are right (the well-behaved clients' expectations pass; a refused
// request is no `request`). docs/hardening.md describes each abuse and what bbx does.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"
#include "read_journal.hpp"
#include "tcp_client.hpp"

using namespace bbx::testing;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Peak RSS bounds are for a release build; ASan's shadow memory and quarantine take more.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssFactor = 3;
#else
constexpr long kRssFactor = 1;
#endif

// bbx run in the background on one scenario, with --isolation none (the test's client must
// reach the fakes on the host's loopback).
struct Run {
  pid_t pid = -1;
  fs::path dir, runs, journal;
};

// Starts `bbx run` on yaml (written to dir/s.yaml, named `name`, beside `files`: name ->
// content); soft_nofile > 0 starts it with that soft RLIMIT_NOFILE (the hard limit unchanged).
Run start_run(const std::string& test, const std::string& name, const std::string& yaml,
              const std::map<std::string, std::string>& files = {}, rlim_t soft_nofile = 0) {
  Run r;
  r.dir = fresh_dir(test);
  r.runs = r.dir / "runs";
  write_file(r.dir / "s.yaml", yaml);
  for (const auto& [file, content] : files) write_file(r.dir / file, content);
  r.journal = scenario_dir(r.runs, name) / "events.jsonl";
  auto out = (r.dir / "console.txt").string();
  std::vector<std::string> argv{bbx_binary().string(), "run", "--isolation", "none", "--runs-dir", r.runs.string(),
                                (r.dir / "s.yaml").string()};
  r.pid = ::fork();
  if (r.pid == 0) {
    if (::chdir(source_dir().c_str()) != 0) ::_exit(126);
    if (soft_nofile > 0) {
      rlimit lim{};
      ::getrlimit(RLIMIT_NOFILE, &lim);
      lim.rlim_cur = soft_nofile;
      if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) ::_exit(125);
    }
    int fd = ::creat(out.c_str(), 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> c;
    for (auto& a : argv) c.push_back(a.data());
    c.push_back(nullptr);
    ::execv(c[0], c.data());
    ::_exit(127);
  }
  return r;
}

struct Ended {
  int code = -1;          // -1: still running at the limit (then killed)
  long peak_rss_mb = 0;   // wait4's ru_maxrss: bbx and the descendants it reaped
};

Ended finish(const Run& r, std::chrono::seconds limit) {
  Ended e;
  int status = 0;
  rusage ru{};
  auto end = Clock::now() + limit;
  pid_t got = 0;
  while ((got = ::wait4(r.pid, &status, WNOHANG, &ru)) == 0 && Clock::now() < end) std::this_thread::sleep_for(20ms);
  if (got != r.pid) {
    ::kill(r.pid, SIGKILL);
    ::wait4(r.pid, &status, 0, &ru);
    return e;
  }
  e.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  e.peak_rss_mb = ru.ru_maxrss / 1024;
  return e;
}

// The ports of the run's fakes, from their fake.listen events (waited for, up to 20 s).
std::map<std::string, int> fake_ports(const Run& r, std::size_t fakes) {
  std::map<std::string, int> ports;
  wait_until(
      [&] {
        ports.clear();
        std::error_code ec;
        if (!fs::exists(r.journal, ec)) return false;
        std::istringstream in(read_file(r.journal));
        std::string line;
        while (std::getline(in, line)) {
          if (!has(line, "\"fake.listen\"")) continue;
          auto j = nlohmann::json::parse(line, nullptr, false);
          if (j.is_discarded()) continue;
          ports[j["source"]["name"]] = j["body"]["port"];
        }
        return ports.size() >= fakes;
      },
      20s);
  REQUIRE_MESSAGE(ports.size() == fakes, read_file(r.dir / "console.txt"));
  return ports;
}

// --- Clients -------------------------------------------------------------------------------

// Sends bytes on a new connection, half-closes it and returns all it answers.
std::string talk(int port, std::string_view bytes) {
  int fd = tcp_connect(port);
  tcp_send_all(fd, bytes);
  ::shutdown(fd, SHUT_WR);
  auto got = tcp_read_to_end(fd);
  ::close(fd);
  return got;
}

std::string get(int port, const std::string& path) {
  return talk(port, "GET " + path + " HTTP/1.1\r\nHost: abuse\r\nConnection: close\r\n\r\n");
}

// Closes with an RST instead of a FIN.
void reset(int fd) {
  linger now{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, sizeof now);
  ::close(fd);
}

// Has the peer closed or reset fd? (Nothing is expected from it.)
bool peer_gone(int fd) {
  char c;
  auto n = ::recv(fd, &c, 1, MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

// Bytes waiting in the receive queue of the UDP socket bound to 127.0.0.1:port (/proc/net/udp).
std::size_t udp_rx_queue(int port) {
  std::ifstream in("/proc/net/udp");
  std::string line;
  char local[32];
  std::snprintf(local, sizeof local, "0100007F:%04X", port);
  while (std::getline(in, line)) {
    if (!has(line, local)) continue;
    std::istringstream fields(line);
    std::string sl, loc, rem, st, queues;
    fields >> sl >> loc >> rem >> st >> queues;  // tx_queue:rx_queue, hex
    return std::stoul(queues.substr(queues.find(':') + 1), nullptr, 16);
  }
  return 0;
}

void send_datagram(int port, std::string_view bytes) {
  static int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Paced: a receive buffer smaller than bbx asks for (not root) must not drop the flood.
  wait_until([&] { return udp_rx_queue(port) < (128u << 10); }, 5s);
  REQUIRE(::sendto(fd, bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr) ==
          static_cast<ssize_t>(bytes.size()));
}

// --- Reading what the run left --------------------------------------------------------------

struct Left {
  nlohmann::json summary;
  std::vector<bbx::Event> events;
  std::string console;
};

Left read_run(const Run& r) {
  Left l;
  l.console = read_file(r.dir / "console.txt");
  l.summary = read_summary(r.runs);
  l.events = read_journal(r.journal).events;  // throws on a line that is not JSON (or not UTF-8)
  return l;
}

std::vector<bbx::Event> bad_requests(const Left& l, int status) {
  std::vector<bbx::Event> out;
  for (const auto& e : events_of(l.events, "http.bad_request"))
    if (e.body.value("status", -1) == status) out.push_back(e);
  return out;
}

// The expectations' verdicts, as "what: passed|failed" lines.
std::string verdicts(const Left& l) {
  std::string out;
  for (const auto& e : l.events)
    if (e.type == "assert.pass" || e.type == "assert.fail")
      out += e.body.value("what", std::string()) + ": " +
             (e.type == "assert.pass" ? "passed" : "failed (" + e.body.value("actual", std::string()) + ")") + "\n";
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("HTTP fake: slowloris, malformed requests, 1 GiB bodies, a reset mid-response and invalid UTF-8") {
  auto big = std::string(16u << 20, 'b');  // the response the resetting client walks away from
  const char* yaml = R"Y(name: abusive http
fakes:
  web:
    http: {port: auto, idle_timeout: 1s}
    routes:
      - match: {path: /ok}
        respond: {body: fine}
      - match: {path: /big}
        respond: {body_file: big.bin}
      - respond: {body: done}
expect:
  - request: {fake: web, path: /done, count: 1, within: 60s}
  - request: {fake: web, path: /ok, count: 10}
  - request: {fake: web, path: /big, count: 1}
  - request: {fake: web, path: /slow, absent: true}
  - request: {fake: web, path: /up, absent: true}
)Y";
  auto r = start_run("abusive-http", "abusive http", yaml, {{"big.bin", big}});
  int port = fake_ports(r, 1).at("web");

  // Slowloris: 50 connections dribble a header one byte per 100 ms that would take 30 s to
  // end; well-behaved requests are served meanwhile. Each is closed 1-2 s (idle_timeout, to
  // 2x) after its first byte.
  constexpr int kSlow = 50;
  const std::string head = "GET /slow HTTP/1.1\r\nHost: abuse\r\nX-Pad: " + std::string(300, 'p') + "\r\n\r\n";
  std::vector<int> slow;
  for (int i = 0; i < kSlow; ++i) slow.push_back(tcp_connect(port));
  std::vector<bool> closed(kSlow, false);
  int closed_count = 0, ok = 0;
  auto start = Clock::now();
  for (std::size_t at = 0; at < head.size() && closed_count < kSlow && Clock::now() - start < 10s; ++at) {
    for (int i = 0; i < kSlow; ++i) {
      if (closed[i]) continue;
      if (peer_gone(slow[i]) || ::send(slow[i], &head[at], 1, MSG_NOSIGNAL) != 1) {
        closed[i] = true;
        ++closed_count;
      }
    }
    if (ok < 10 && has(get(port, "/ok"), "HTTP/1.1 200 OK")) ++ok;
    std::this_thread::sleep_for(100ms);  // the abuse itself: one byte per 100 ms
  }
  auto slowloris_s = std::chrono::duration<double>(Clock::now() - start).count();
  for (int fd : slow) ::close(fd);
  CHECK(closed_count == kSlow);
  CHECK(slowloris_s < 8);  // 1-2 s; without the header deadline they stay open while they dribble
  CHECK(ok == 10);

  // Malformed requests: each answered as a real server would, then closed.
  CHECK(has(talk(port, "BLAH\r\n\r\n"), "HTTP/1.1 400 Bad Request"));
  CHECK(has(talk(port, "GET /h HTTP/1.1\r\nHost: abuse\r\nno colon in this field\r\n\r\n"), "HTTP/1.1 400"));
  CHECK(has(talk(port, "GET /h HTTP/1.1\r\nHost: abuse\r\nX-Big: " + std::string(10000, 'a') + "\r\n\r\n"),
            "HTTP/1.1 431"));
  CHECK(has(talk(port, std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 15)), "HTTP/1.1 400"));

  // 1 GiB bodies: declared (refused at the header) and chunked (refused at 64 MiB).
  {
    int fd = tcp_connect(port);
    tcp_send_all(fd, "POST /up HTTP/1.1\r\nHost: abuse\r\nContent-Length: 1073741824\r\n\r\n");
    tcp_send_all(fd, std::string(1 << 20, 'x'));
    CHECK(has(tcp_read_to_end(fd, 4096), "HTTP/1.1 413"));
    ::close(fd);
  }
  std::size_t chunked_sent = 0;
  std::string chunked_answer;
  {
    int fd = tcp_connect(port);
    tcp_send_all(fd, "POST /up HTTP/1.1\r\nHost: abuse\r\nTransfer-Encoding: chunked\r\n\r\n");
    std::string chunk = "100000\r\n" + std::string(1 << 20, 'c') + "\r\n";
    auto until = Clock::now() + 20s;
    for (int i = 0; i < 1024 && Clock::now() < until; ++i) {  // 1 GiB at most
      char buf[4096];
      auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) chunked_answer.append(buf, static_cast<std::size_t>(n));
      if (n == 0 || has(chunked_answer, "\r\n\r\n")) break;  // answered (or closed): stop sending
      if (!tcp_send_all(fd, chunk)) break;
      chunked_sent += 1 << 20;
    }
    chunked_answer += tcp_read_to_end(fd, 4096);
    ::close(fd);
  }
  CHECK(has(chunked_answer, "HTTP/1.1 413"));
  CHECK(chunked_sent < (256u << 20));  // refused early, not after reading it all

  // A client that asks for 16 MiB, reads 64 KiB and resets.
  {
    int fd = tcp_connect(port);
    tcp_send_all(fd, "GET /big HTTP/1.1\r\nHost: abuse\r\n\r\n");
    std::string got;
    char buf[65536];
    while (got.size() < 65536) {
      auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
    }
    CHECK(has(got, "HTTP/1.1 200 OK"));
    reset(fd);
  }

  // Invalid UTF-8 in the target, a header and the body.
  std::string raw_body("\xff\xfe\xfd\xfc", 4);
  CHECK(has(talk(port, "POST /utf8/\xc3\x28 HTTP/1.1\r\nHost: abuse\r\nX-Bytes: \xe2\x82\r\nContent-Length: 4\r\n"
                           "Connection: close\r\n\r\n" + raw_body),
            "HTTP/1.1 200 OK"));

  CHECK(has(get(port, "/done"), "HTTP/1.1 200 OK"));
  auto ended = finish(r, 60s);
  INFO(read_file(r.dir / "console.txt"));
  REQUIRE(ended.code == 0);
  MESSAGE("abusive http: peak RSS " << ended.peak_rss_mb << " MB, slowloris closed in " << slowloris_s << " s");
  CHECK(ended.peak_rss_mb < 400 * kRssFactor);  // 64 MiB of chunked body, the 16 MiB response, the journal's 64 MiB

  auto l = read_run(r);
  CHECK_MESSAGE(l.summary["scenarios"][0]["verdict"] == "passed", verdicts(l));

  // Slowloris: one http.bad_request each, saying why, and no request.
  auto timed_out = [](const bbx::Event& e) { return has(e.body.value("error", ""), "request header not whole within idle_timeout"); };
  CHECK(count_of(l.events, "http.bad_request", timed_out) == kSlow);
  for (const auto& e : bad_requests(l, 0))
    if (timed_out(e))  // what came of the request line: parsed (target), or still unparsed
      CHECK((e.body.value("target", "") == "/slow" || has(e.body.value("unparsed", ""), "GET /")));

  // Malformed: 400 (bad method, bad field, TLS bytes), 431.
  CHECK(count_of(l.events, "http.bad_request", [](const bbx::Event& e) {
          return e.body["status"] == 400 && e.body["error"] == "bad method" && has(e.body["unparsed"], "BLAH");
        }) == 1);
  CHECK(bad_requests(l, 400).size() == 3);
  CHECK(bad_requests(l, 431).size() == 1);

  // 1 GiB: 413 with the size declared, or the body bytes read.
  auto refused = bad_requests(l, 413);
  REQUIRE(refused.size() == 2);
  CHECK(refused[0].body["content_length"] == 1073741824);
  CHECK(refused[0].body["target"] == "/up");
  CHECK_FALSE(refused[1].body.contains("content_length"));
  CHECK(refused[1].body.value("body_bytes", std::size_t{0}) > (60u << 20));
  CHECK(refused[1].body.value("body_bytes", std::size_t{0}) <= (64u << 20));

  // The reset: the request is journaled, its response as cut short.
  auto big_request = first_of(l.events, "http.request", [](const bbx::Event& e) { return e.body["path"] == "/big"; });
  REQUIRE(big_request);
  auto big_response = first_of(l.events, "http.response", [&](const bbx::Event& e) {
    return e.body["request_seq"] == big_request->seq;
  });
  REQUIRE(big_response);
  CHECK(big_response->body["error"] != "");
  CHECK(big_response->body["planned_body_bytes"] == big.size());
  CHECK(big_response->body["body_bytes"] < big.size());

  // Invalid UTF-8: escaped as \xHH, the exact body in base64; the journal stays valid JSON.
  auto utf8 = first_of(l.events, "http.request", [](const bbx::Event& e) { return has(e.body["target"], "/utf8/"); });
  REQUIRE(utf8);
  CHECK(utf8->body["target"] == "/utf8/\\xC3(");
  CHECK(utf8->body["body_base64"] == "//79/A==");
  CHECK(has(utf8->body.dump(), "\\\\xE2\\\\x82"));
}

TEST_CASE("HTTP fake: 5,000 concurrent connections with bbx started under a soft fd limit of 1024") {
  rlimit lim{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &lim) == 0);
  constexpr int kConns = 5000;
  if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < kConns + 500) {
    MESSAGE("hard fd limit " << lim.rlim_max << ": below what 5,000 connections need, skipped");
    return;
  }
  rlimit mine = lim;
  mine.rlim_cur = mine.rlim_max;  // the client's own 5,000 descriptors
  REQUIRE(::setrlimit(RLIMIT_NOFILE, &mine) == 0);

  const char* yaml = R"Y(name: five thousand
fakes:
  web:
    http: {port: auto}
    routes: [{respond: {body: c}}]
subjects:
  limit:
    command: [sh, -c, "echo soft $(ulimit -Sn); exec sleep 120"]
expect:
  - request: {fake: web, path: /done, count: 1, within: 60s}
  - request: {fake: web, path: /c, count: 5000}
  - log: {subject: limit, contains: soft 1024, count: 1}
)Y";
  auto r = start_run("abusive-5000", "five thousand", yaml, {}, 1024);
  int port = fake_ports(r, 1).at("web");

  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<pollfd> fds;
  for (int i = 0; i < kConns; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    REQUIRE(fd >= 0);
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    REQUIRE((rc == 0 || errno == EINPROGRESS));
    fds.push_back({fd, POLLOUT, 0});
  }
  // Each sends its request once connected and reads its whole answer; all stay open until
  // every one is answered: 5,000 connections at the fake at once.
  const std::string request = "GET /c HTTP/1.1\r\nHost: abuse\r\n\r\n";
  std::vector<std::string> got(kConns);
  int answered = 0;
  auto until = Clock::now() + 40s;
  while (answered < kConns && Clock::now() < until) {
    if (::poll(fds.data(), fds.size(), 200) < 0) break;
    for (int i = 0; i < kConns; ++i) {
      auto& p = fds[i];
      if (p.events == POLLOUT && (p.revents & POLLOUT)) {
        if (::send(p.fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
          p.events = POLLIN;
        } else {
          p.events = 0;  // not connected: counted, not ok
          ++answered;
        }
      } else if (p.events == POLLIN && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
        char buf[512];
        auto n = ::recv(p.fd, buf, sizeof buf, 0);
        if (n > 0) got[i].append(buf, static_cast<std::size_t>(n));
        if (n <= 0 || (has(got[i], "\r\n\r\n") && got[i].back() == 'c')) {
          p.events = 0;  // answered (or failed): poll no more, keep it open
          ++answered;
        }
      }
      p.revents = 0;
    }
  }
  int ok = 0;
  for (const auto& g : got) ok += has(g, "HTTP/1.1 200 OK") && g.back() == 'c';
  for (auto& p : fds) ::close(p.fd);
  CHECK(ok == kConns);

  CHECK(has(get(port, "/done"), "HTTP/1.1 200 OK"));
  auto ended = finish(r, 60s);
  INFO(read_file(r.dir / "console.txt"));
  REQUIRE(ended.code == 0);
  MESSAGE("5,000 connections: peak RSS " << ended.peak_rss_mb << " MB");
  CHECK(ended.peak_rss_mb < 300 * kRssFactor);
  auto l = read_run(r);
  CHECK_MESSAGE(l.summary["scenarios"][0]["verdict"] == "passed", verdicts(l));
  CHECK(count_of(l.events, "fake.accept_error") == 0);  // the runner's limit was raised
  CHECK(count_of(l.events, "http.request") == kConns + 1);
}

TEST_CASE("statsd and TCP fakes: 64 KiB datagrams, invalid UTF-8, an oversized line and a reset") {
  const char* yaml = R"Y(name: abusive metrics
fakes:
  metrics: {statsd: {port: auto}}
  kv:
    tcp: {port: auto, max_message: 64KiB}
    replies:
      - {contains: PING, reply: "PONG\n"}
      - {contains: DONE, reply: "BYE\n"}
expect:
  - message: {fake: kv, contains: DONE, count: 1, within: 60s}
  - metric: {fake: metrics, name: good.count, type: counter, sum: 100}
  - metric: {fake: metrics, name: abuse.flood, samples: 163760}
  - message: {fake: kv, contains: PING, count: 100}
)Y";
  auto r = start_run("abusive-metrics", "abusive metrics", yaml);
  auto ports = fake_ports(r, 2);
  int statsd = ports.at("metrics"), kv = ports.at("kv");

  // 40 datagrams of 64 KiB (65,503 bytes: 4,094 samples each), one of 65,507 bytes that are
  // not UTF-8, and 100 well-behaved ones.
  std::string flood;
  for (int i = 0; i < 4094; ++i) flood += i ? "\nabuse.flood:1|c" : "abuse.flood:1|c";
  REQUIRE(flood.size() == 65503);
  for (int i = 0; i < 40; ++i) send_datagram(statsd, flood);
  send_datagram(statsd, std::string(65507, '\xff'));
  for (int i = 0; i < 100; ++i) send_datagram(statsd, "good.count:1|c");

  // TCP: 100 PINGs over 20 connections held open together, a line of 1 MiB (over
  // max_message), a message that is not UTF-8, and a client that resets after sending.
  std::vector<int> conns;
  for (int i = 0; i < 20; ++i) conns.push_back(tcp_connect(kv));
  for (int round = 0; round < 5; ++round)
    for (int fd : conns) {
      tcp_send_all(fd, "PING\n");
      char buf[5];
      CHECK(::recv(fd, buf, sizeof buf, MSG_WAITALL) == 5);
    }
  for (int fd : conns) ::close(fd);
  {
    int fd = tcp_connect(kv);
    tcp_send_all(fd, std::string(1 << 20, 'L') + "\n");
    tcp_send_all(fd, std::string("\xff\xfe not utf-8 \xc3\x28\n", 16));
    ::shutdown(fd, SHUT_WR);
    tcp_read_to_end(fd);
    ::close(fd);
  }
  {
    int fd = tcp_connect(kv);
    tcp_send_all(fd, "RESET-ME\n");
    reset(fd);
  }
  CHECK(talk(kv, "DONE\n") == "BYE\n");

  auto ended = finish(r, 60s);
  INFO(read_file(r.dir / "console.txt"));
  REQUIRE(ended.code == 0);
  MESSAGE("abusive metrics: peak RSS " << ended.peak_rss_mb << " MB for 163,860 samples");
  CHECK(ended.peak_rss_mb < 400 * kRssFactor);
  auto l = read_run(r);
  CHECK_MESSAGE(l.summary["scenarios"][0]["verdict"] == "passed", verdicts(l));

  // Datagrams: every one journaled; the one that is not UTF-8 escaped and kept exactly.
  CHECK(count_of(l.events, "statsd.datagram", "metrics") == 141);
  CHECK(count_of(l.events, "statsd.loss") == 0);
  auto garbage = first_of(l.events, "statsd.parse_error");
  REQUIRE(garbage);
  CHECK(has(garbage->body.dump(), "\\\\xFF\\\\xFF"));

  // TCP: the oversized line, the bytes that are not UTF-8, the reset.
  auto oversize = first_of(l.events, "tcp.framing_error");
  REQUIRE(oversize);
  CHECK(oversize->body["error"] == "message of 1048576 bytes exceeds max_message (65536 bytes)");
  auto odd = first_of(l.events, "tcp.message", [](const bbx::Event& e) { return e.body.contains("data_base64"); });
  REQUIRE(odd);
  CHECK(odd->body["data"] == "\\xFF\\xFE not utf-8 \\xC3(");
  auto reset_message = first_of(l.events, "tcp.message", [](const bbx::Event& e) { return e.body["data"] == "RESET-ME"; });
  REQUIRE(reset_message);
  auto reset_close = first_of(l.events, "tcp.close", [&](const bbx::Event& e) { return e.body["conn"] == reset_message->body["conn"]; });
  REQUIRE(reset_close);
  CHECK(reset_close->body["by"] == "client");
  CHECK(has(reset_close->body["error"], "reset"));
}
