// The journal's read interface on a big stored journal (bench/journal.sh). One mode per
// process, so each scan's peak RSS is its own:
//
//   bbx-bench-journal gen FILE N        writes an N-event journal of a busy run with the real
//                                       writer (journal::Journal, catalogue types, drains
//                                       posted as the runner's loop does)
//   bbx-bench-journal scan FILE         every event through StoredJournal as an EventLog&,
//                                       each parsed
//   bbx-bench-journal filter FILE TYPE  a type-filtered scan: the other types passed over
//   bbx-bench-journal at FILE K         the index built (size()), then K at() of random seqs
//
// Prints `FIGURE journal.<name> <value> <unit>` lines, and `info` lines beside them.
// RSS is the process's peak (getrusage ru_maxrss), which includes the ~5 MB every process
// linked against bbx_core starts with (printed as journal.<mode>_rss_start_mb).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "journal/deferred_body.hpp"
#include "journal/event_log.hpp"
#include "journal/event_types.hpp"
#include "journal/journal.hpp"
#include "journal/stored_journal.hpp"

namespace {

using bbx::Event;
using bbx::EventSource;
using nlohmann::json;
using nlohmann::ordered_json;
namespace journal = bbx::journal;
using ev = bbx::journal::ev;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double peak_rss_mb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;  // KiB on Linux
}

double current_rss_mb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return 0;
}

void figure(const char* name, double value, const char* unit) {
  std::printf(value >= 100 ? "FIGURE journal.%s %.0f %s\n" : "FIGURE journal.%s %.2f %s\n", name, value, unit);
}

// ---- gen: a busy run's journal --------------------------------------------------------

// The HTTP fake appends its request and response bodies deferred, keys in its own order
// (docs/journal-events.md); so does this generator, through the same append_deferred.
class TextBody final : public journal::DeferredBody {
 public:
  explicit TextBody(std::string text) : text_(std::move(text)) {}
  json tree() const override { return json::parse(text_); }
  void append_text(bbx::util::TextBuffer& out) const override { out.append(text_); }

 private:
  std::string text_;
};

std::shared_ptr<const journal::DeferredBody> deferred(const ordered_json& body) {
  return std::make_shared<TextBody>(body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// One API fake behind a proxying subject, a statsd fake it reports to, a sampler, and
// http steps with their checks: per request an http.request/http.response pair, an
// access-log output.line, about half a statsd.datagram; now and then a resource.sample,
// a step (step.begin, http.reply, assert.pass, step.end), a log.line; rarely a mark and an
// assert.fail. Deterministic (fixed seed), except the clock's t_ns and wall.
class BusyRun {
 public:
  BusyRun(journal::Journal& j, std::uint64_t target) : j_(j), target_(target) {}

  void run() {
    j_.append({"scenario", kScenario, 0}, ev::scenario_begin,
              {{"file", "scenarios/busy_proxy.yaml"}, {"id", kScenario}, {"isolation", "namespaces"}, {"name", kScenario}});
    j_.append({"subject", "app", kPid}, ev::process_spawn,
              {{"argv", {"bbx-fixture", "--listen", "8080", "--upstream", "http://127.0.0.1:9001", "--statsd", "127.0.0.1:8125"}},
               {"cwd", "/work/sandbox/runs/20261206-101500-001/busy_proxy/sandbox"},
               {"executable", "/work/build/bbx-fixture"},
               {"supervisor_pid", 4}});
    j_.append({"fake", "api", 0}, ev::fake_listen, {{"port", 9001}, {"url", "http://127.0.0.1:9001"}});
    j_.append({"subject", "app", kPid}, ev::socket_listen, {{"address", "127.0.0.1"}, {"port", 8080}, {"proto", "tcp"}});
    // Events left before the two closing ones: each group is appended only when it fits,
    // so the journal has exactly target_ events.
    auto left = [&] { return static_cast<std::int64_t>(target_) - 2 - static_cast<std::int64_t>(j_.size()); };
    while (left() > 0) {
      if (left() < 2) {
        access_log();
        continue;
      }
      ++requests_;
      request_pair();
      if (left() >= 1) access_log();
      if (requests_ % 2 == 0 && left() >= 1) datagram();
      if (requests_ % 40 == 0 && left() >= 1) resource_sample();
      if (requests_ % 150 == 0 && left() >= 4) http_step();
      if (requests_ % 500 == 0 && left() >= 1) log_line();
      if (requests_ % 25000 == 0 && left() >= 1) mark();
      if (requests_ % 60000 == 0 && left() >= 1) assert_fail();
      if (requests_ % 256 == 0) pump();
    }
    j_.append({"subject", "app", kPid}, ev::process_exit, {{"code", 0}, {"describe", "exited with code 0"}, {"main", true}});
    j_.append({"scenario", kScenario, 0}, ev::scenario_end,
              {{"message", "request at fake 'api': GET /api/v1/never: expected exactly 1 matching, got 0 matching"},
               {"verdict", "failed"}});
    pump();
    j_.write_on({});
    j_.flush();
  }

  // The runner's loop: the posted drain runs between other handlers, here every 256 requests.
  journal::Journal::Poster poster() {
    return [this](std::function<void()> fn) { posted_.push_back(std::move(fn)); };
  }

 private:
  static constexpr const char* kScenario = "busy proxy under load";
  static constexpr int kPid = 7;

  void pump() {
    auto now = std::move(posted_);
    posted_.clear();
    for (auto& fn : now) fn();
  }

  std::string pick(std::initializer_list<const char*> options) {
    auto i = std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng_);
    return *(options.begin() + static_cast<std::ptrdiff_t>(i));
  }
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string hex(int n) {
    static const char* digits = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < n; ++i) s.push_back(digits[rng_() & 15]);
    return s;
  }

  void request_pair() {
    if (requests_ % 50 == 1) {  // a keep-alive connection serves ~50 requests
      ++conn_;
      client_ = "127.0.0.1:" + std::to_string(between(32768, 60999));
    }
    int item = between(1, 99999);
    bool post = requests_ % 4 == 0;
    method_ = post ? "POST" : "GET";
    path_ = post ? "/api/v1/orders" : "/api/v1/items/" + std::to_string(item);
    std::string query = post || requests_ % 3 ? "" : "fields=name,price&lang=en";
    target_path_ = query.empty() ? path_ : path_ + "?" + query;
    ordered_json headers = ordered_json::array();
    headers.push_back({"Host", "127.0.0.1:9001"});
    headers.push_back({"User-Agent", "app/2.4.1 (+go-http-client)"});
    headers.push_back({"Accept", "application/json"});
    headers.push_back({"X-Request-Id", hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12)});
    headers.push_back({"Traceparent", "00-" + hex(32) + "-" + hex(16) + "-01"});
    headers.push_back({"X-Forwarded-For", "10.0.0." + std::to_string(between(2, 254))});
    std::string body;
    if (post) {
      body = ordered_json{{"customer", "c-" + std::to_string(between(1000, 9999))},
                          {"items", {{{"sku", "sku-" + std::to_string(item)}, {"qty", between(1, 5)}},
                                     {{"sku", "sku-" + std::to_string(between(1, 99999))}, {"qty", 1}}}},
                          {"currency", "EUR"},
                          {"note", pick({"", "leave at the door", "gift wrap, please"})}}
                 .dump();
      headers.push_back({"Content-Type", "application/json"});
      headers.push_back({"Content-Length", std::to_string(body.size())});
    }
    headers.push_back({"Accept-Encoding", "gzip"});
    bool matched = requests_ % 97 != 0;
    ordered_json req = {{"conn", conn_},
                        {"client", client_},
                        {"method", method_},
                        {"target", target_path_},
                        {"path", path_},
                        {"query", query},
                        {"version", "HTTP/1.1"},
                        {"headers", std::move(headers)},
                        {"route", matched ? (post ? 1 : 0) : -1},
                        {"matched", matched},
                        {"sequence", 0},
                        {"body_bytes", body.size()},
                        {"body", body}};
    if (!matched)
      req["misses"] = {{{"passed", 1}, {"reason", "path " + path_ + " does not match /api/v1/items/*"}, {"route", 1}}};
    auto request_seq = j_.append_deferred({"fake", "api", 0}, ev::http_request, deferred(req));
    status_ = matched ? (requests_ % 53 == 0 ? 503 : (post ? 201 : 200)) : 404;
    bytes_ = matched ? between(40, 900) : 0;
    ordered_json resp = {{"conn", conn_},       {"request_seq", request_seq},
                         {"status", status_},   {"route", matched ? (post ? 1 : 0) : -1},
                         {"body_bytes", bytes_}, {"latency_us", between(30, 2500)},
                         {"fault", ""},         {"chunks", 0},
                         {"error", ""}};
    j_.append_deferred({"fake", "api", 0}, ev::http_response, deferred(resp));
  }

  void access_log() {
    char line[256];
    std::snprintf(line, sizeof line, "10.0.0.%d - - [06/Dec/2026:10:15:%02d +0000] \"%s %s HTTP/1.1\" %d %d %.3fms upstream=127.0.0.1:9001",
                  between(2, 254), static_cast<int>(requests_ % 60), method_.c_str(), target_path_.c_str(), status_, bytes_,
                  between(100, 9000) / 1000.0);
    j_.append({"subject", "app", kPid}, ev::output_line, {{"line", line}, {"stream", "stdout"}});
  }

  void datagram() {
    int ms = between(1, 2500);
    std::string route = method_ == "POST" ? "orders" : "items";
    std::string raw = "app.requests:1|c|#route:" + route + ",status:" + std::to_string(status_) +
                      "\napp.upstream.latency:" + std::to_string(ms / 1000.0).substr(0, 5) + "|ms|@0.5|#route:" + route;
    json samples = json::array();
    samples.push_back({{"name", "app.requests"}, {"rate", 1.0}, {"tags", {"route:" + route, "status:" + std::to_string(status_)}},
                       {"type", "c"}, {"value", 1.0}});
    samples.push_back({{"name", "app.upstream.latency"}, {"rate", 0.5}, {"tags", {"route:" + route}}, {"type", "ms"},
                       {"value", ms / 1000.0}});
    j_.append_batch({{{"fake", "metrics", 0}, ev::statsd_datagram,
                      {{"from", "127.0.0.1:41877"}, {"n", ++datagrams_}, {"raw", raw}, {"samples", std::move(samples)}}}});
  }

  void resource_sample() {
    j_.append({"subject", "app", kPid}, ev::resource_sample,
              {{"cpu_ms", requests_ / 20}, {"fds", between(12, 60)}, {"processes", 1}, {"rss_bytes", 24000000 + between(0, 4000000)},
               {"threads", 6}});
  }

  void http_step() {
    std::string name = "http GET ${subjects.app.url}/health";
    j_.append({"step", name, 0}, ev::step_begin, {{"where", "scenarios/busy_proxy.yaml:31:5"}});
    j_.append({"step", name, 0}, ev::http_reply,
              {{"body", "{\"status\":\"ok\",\"uptime_s\":" + std::to_string(requests_ / 1000) + "}"},
               {"error", ""},
               {"headers", json::array({json::array({"Server", "app/2.4.1"}), json::array({"Content-Type", "application/json"}),
                                        json::array({"Content-Length", "28"})})},
               {"ok", true},
               {"status", 200},
               {"url", "http://127.0.0.1:8080/health"}});
    std::string what = "step '" + name + "' status";
    j_.append({"assert", what, 0}, ev::assert_pass,
              {{"actual", "200"}, {"evidence", json::array()}, {"expected", "200"}, {"what", what},
               {"where", "scenarios/busy_proxy.yaml:33:15"}});
    j_.append({"step", name, 0}, ev::step_end, {{"ok", true}});
  }

  void log_line() {
    j_.append({"subject", "app", kPid}, ev::log_line,
              {{"line", "WARN upstream 127.0.0.1:9001 slow: p99 " + std::to_string(between(200, 900)) + "ms over the last 500 requests"},
               {"path", "var/log/app.log"}});
  }

  void mark() {
    j_.append({"step", "mark phase", 0}, ev::mark, {{"name", "phase " + std::to_string(requests_ / 25000)}});
  }

  void assert_fail() {
    std::string what = "request at fake 'api': GET /api/v1/never";
    j_.append({"assert", what, 0}, ev::assert_fail,
              {{"actual", "0 matching of " + std::to_string(requests_) + " requests; nearest: GET /api/v1/items/17 (path differs)"},
               {"evidence", json::array()},
               {"expected", "exactly 1 matching"},
               {"what", what},
               {"where", "scenarios/busy_proxy.yaml:52:7"}});
  }

  journal::Journal& j_;
  std::uint64_t target_;
  std::mt19937_64 rng_{20261206};
  std::vector<std::function<void()>> posted_;
  std::uint64_t requests_ = 0;
  std::uint64_t datagrams_ = 0;
  int conn_ = 0;
  std::string client_, method_, path_, target_path_;
  int status_ = 200;
  int bytes_ = 0;
};

int gen(const std::string& path, std::uint64_t n) {
  auto start = Clock::now();
  {
    journal::Journal j(path);
    BusyRun run(j, n);
    j.write_on(run.poster());
    run.run();
    if (j.size() != n) {
      std::fprintf(stderr, "gen: wrote %llu events, wanted %llu\n", static_cast<unsigned long long>(j.size()),
                   static_cast<unsigned long long>(n));
      return 1;
    }
  }
  double s = seconds_since(start);
  figure("write_events_per_s", static_cast<double>(n) / s, "events/s");
  std::printf("info gen: %llu events in %.2f s, writer peak RSS %.1f MB\n", static_cast<unsigned long long>(n), s,
              peak_rss_mb());
  return 0;
}

// ---- scans through the read interface ----------------------------------------------------

int scan(const journal::EventLog& log, const std::string& mode) {
  double rss_start = peak_rss_mb();
  std::uint64_t n = 0, body_keys = 0, rss_checkpoint = 0;
  double rss_at_checkpoint = 0;
  bool dense = true;
  auto start = Clock::now();
  log.for_each(1, [&](const Event& e) {
    ++n;
    dense = dense && e.seq == n;
    body_keys += e.body.size();  // every event parsed, its body a tree
    if (n == 100000) {
      rss_checkpoint = n;
      rss_at_checkpoint = current_rss_mb();
    }
    return true;
  });
  double s = seconds_since(start);
  if (!dense || n == 0) {
    std::fprintf(stderr, "%s: seqs not dense from 1 (%llu events)\n", mode.c_str(), static_cast<unsigned long long>(n));
    return 1;
  }
  figure("scan_events_per_s", static_cast<double>(n) / s, "events/s");
  figure("scan_rss_mb", peak_rss_mb(), "MB");
  figure("scan_rss_start_mb", rss_start, "MB");
  std::printf("info scan: %llu events (%llu body keys) in %.2f s; RSS %.1f MB after %llu events, %.1f MB at the end\n",
              static_cast<unsigned long long>(n), static_cast<unsigned long long>(body_keys), s, rss_at_checkpoint,
              static_cast<unsigned long long>(rss_checkpoint), current_rss_mb());
  return 0;
}

int filter(const journal::StoredJournal& stored, const std::string& type) {
  const journal::EventLog& log = stored;
  double rss_start = peak_rss_mb();
  std::uint64_t found = 0;
  auto start = Clock::now();
  auto next = log.for_each_of(journal::TypeFilter(std::vector<std::string>{type}), 1, [&](const Event& e) {
    found += e.type == type;
    return true;
  });
  double s = seconds_since(start);
  std::uint64_t passed = next - 1;  // every line of the journal was looked at
  figure("filtered_scan_events_per_s", static_cast<double>(passed) / s, "events/s");
  figure("filtered_scan_rss_mb", peak_rss_mb(), "MB");
  figure("filtered_scan_rss_start_mb", rss_start, "MB");
  std::printf("info filter: %llu '%s' events among %llu in %.3f s\n", static_cast<unsigned long long>(found), type.c_str(),
              static_cast<unsigned long long>(passed), s);
  return found ? 0 : 1;
}

int at(const journal::StoredJournal& stored, int k) {
  const journal::EventLog& log = stored;
  auto start = Clock::now();
  std::uint64_t n = log.size();  // one pass over the lines, unparsed: builds the index
  double index_s = seconds_since(start);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::uint64_t> pick(1, n);
  std::vector<double> us;
  us.reserve(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) {
    auto seq = pick(rng);
    auto t = Clock::now();
    Event e = log.at(seq);
    us.push_back(seconds_since(t) * 1e6);
    if (e.seq != seq) {
      std::fprintf(stderr, "at(%llu) returned seq %llu\n", static_cast<unsigned long long>(seq),
                   static_cast<unsigned long long>(e.seq));
      return 1;
    }
  }
  std::sort(us.begin(), us.end());
  auto q = [&](double p) { return us[static_cast<std::size_t>(p * static_cast<double>(us.size() - 1))]; };
  figure("at_us", q(0.5), "us");
  figure("at_p99_us", q(0.99), "us");
  figure("size_s", index_s, "s");
  std::printf("info at: %d random seqs of %llu after size() built the index in %.2f s; min %.0f us, max %.0f us; peak RSS %.1f MB\n", k,
              static_cast<unsigned long long>(n), index_s, us.front(), us.back(), peak_rss_mb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "gen") return gen(args[1], std::stoull(args[2]));
    if (args.size() == 2 && args[0] == "scan") {
      journal::StoredJournal stored(args[1]);
      return scan(stored, "scan");
    }
    if (args.size() == 3 && args[0] == "filter") return filter(journal::StoredJournal(args[1]), args[2]);
    if (args.size() == 3 && args[0] == "at") return at(journal::StoredJournal(args[1]), std::stoi(args[2]));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bbx-bench-journal: %s\n", e.what());
    return 3;
  }
  std::fprintf(stderr, "usage: bbx-bench-journal gen FILE N | scan FILE | filter FILE TYPE | at FILE K\n");
  return 2;
}
