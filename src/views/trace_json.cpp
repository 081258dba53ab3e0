#include "views/trace_json.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <optional>
#include <set>

#include "bbx/error.hpp"
#include "journal/event_types.hpp"
#include "report/event_text.hpp"
#include "util/json_text.hpp"
#include "util/text_buffer.hpp"
#include "views/resource_rates.hpp"

namespace bbx::views {

namespace {

namespace fs = std::filesystem;
using journal::ev;
using journal::EventRef;

// A summary longer than this is cut in the name (and given whole in args.text). Long enough
// for a whole log line: the name is what Perfetto shows and searches, and a second copy of
// every long line in args would make the trace a third bigger.
constexpr std::size_t kNameChars = 1024;
constexpr std::int64_t kFirstFakePid = kHarnessTracePid + 1;
constexpr std::int64_t kFirstSpareSubjectPid = 6'000'000;

// Harness threads.
enum HarnessTid : int { kScenario = 1, kSteps = 2, kAssertions = 3, kProbes = 4, kRunner = 5, kHarnessSent = 6 };
// Subject threads (log files from 10 on).
enum SubjectTid : int { kLifecycle = 1, kStdout = 2, kStderr = 3, kSubjectSent = 4, kFirstLog = 10 };
// Fake threads.
enum FakeTid : int { kFakeEvents = 1, kArrivals = 2 };

struct Subject {
  std::int64_t pid = 0;
  std::map<std::string, int, std::less<>> logs;  // path -> tid
  std::map<std::int64_t, std::string> tracked;    // processes with counter tracks: pid -> their tracks' prefix
};

struct OpenSpan {  // an async span (b ... e) still open
  std::int64_t pid = 0;
  int tid = kArrivals;
  std::string cat, name, id;
};

// HTTP requests open at once on one fake that get a lane each; more are async spans.
constexpr std::size_t kMaxLanes = 16;
// Output held behind unanswered requests (their slices are written where they began, once
// their answer says how long they took): past this, the oldest becomes an async span.
constexpr std::size_t kMaxHeldBytes = 4 << 20;

// What an answer says in the slice it ends: its summary without the "answered #N: " that
// names the request (the slice is the request).
std::string result_text(const EventRef& e) {
  auto text = report::event_summary(e);
  if (ev::http_response.is(e.type) && text.rfind("answered #", 0) == 0) {
    auto colon = text.find(": ");
    if (colon != std::string::npos) text.erase(0, colon + 2);
  }
  return text;
}

class TraceWriter {
 public:
  TraceWriter(const fs::path& path, const TraceOptions& options) : first_(path), options_(options) {}

  TraceResult run(const journal::EventLog& log) {
    remove_stale_parts();
    open_file(0);
    log.for_each_ref_of({}, 1, [&](const EventRef& e) {
      last_ns_ = e.t_ns;
      on_event(e);
      std::size_t held = held_.empty() ? 0 : held_bytes();
      while (held > kMaxHeldBytes) {
        release_oldest_held();
        held = held_bytes();
      }
      if (buf_.size() >= (1 << 20)) flush();
      if (file_bytes_ + buf_.size() + held > options_.max_file_bytes) cut(e.t_ns);
      return true;
    });
    while (!held_.empty()) release_oldest_held();
    close_all_open(last_ns_);
    close_file(last_ns_);
    return std::move(result_);
  }

 private:
  // --- files --------------------------------------------------------------------------

  fs::path part_path(std::size_t index) const {
    if (index == 0) return first_;
    return first_.parent_path() / (first_.stem().string() + "." + std::to_string(index + 1) + first_.extension().string());
  }

  void remove_stale_parts() {
    std::error_code ec;
    for (std::size_t i = 1;; ++i) {
      auto p = part_path(i);
      if (!fs::exists(p, ec)) break;
      fs::remove(p, ec);
    }
  }

  void open_file(std::int64_t from_ns) {
    auto path = part_path(result_.parts.size());
    tmp_ = path;
    tmp_ += ".tmp";
    file_ = std::fopen(tmp_.c_str(), "wb");
    if (!file_) fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    result_.parts.push_back({path, from_ns, from_ns, 0});
    file_bytes_ = 0;
    first_event_ = true;
    named_processes_.clear();
    named_threads_.clear();
    buf_.literal("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"bbx\",\"part\":");
    util::append_json_number(buf_, std::uint64_t(result_.parts.size()));
    buf_.literal("},\"traceEvents\":[\n");
  }

  void flush() {
    if (buf_.size() == 0) return;
    if (std::fwrite(buf_.view().data(), 1, buf_.size(), file_) != buf_.size())
      fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    file_bytes_ += buf_.size();
    buf_.clear();
  }

  void close_file(std::int64_t to_ns) {
    buf_.literal("\n]}\n");
    flush();
    bool ok = std::fflush(file_) == 0;
    ok = std::fclose(file_) == 0 && ok;
    file_ = nullptr;
    if (!ok) fail_harness("cannot write " + tmp_.string() + ": " + std::strerror(errno));
    auto& part = result_.parts.back();
    part.to_ns = to_ns;
    part.bytes = file_bytes_;
    std::error_code ec;
    fs::rename(tmp_, part.file, ec);
    if (ec) fail_harness("cannot rename " + tmp_.string() + " to " + part.file.string() + ": " + ec.message());
  }

  // Too big: what is open ends here and begins again at the same time in the next file.
  void cut(std::int64_t t_ns) {
    while (!held_.empty()) release_oldest_held();
    auto step = open_step_;
    auto spans = open_spans_;
    close_all_open(t_ns);
    close_file(t_ns);
    open_file(t_ns);
    if (step) begin_step(*step, t_ns);
    for (const auto& [key, span] : spans) begin_span(key, span, t_ns);
  }

  // --- event pieces -------------------------------------------------------------------

  void start(const char* ph, std::int64_t t_ns, std::int64_t pid, int tid) {
    if (!first_event_) out_->literal(",\n");
    first_event_ = false;
    ++result_.trace_events;
    begin_event(ph, t_ns, pid, tid);
  }
  // An event's first keys, without the separator before it (start() writes that).
  void begin_event(const char* ph, std::int64_t t_ns, std::int64_t pid, int tid) {
    out_->literal("{\"ph\":\"");
    out_->append(ph, std::strlen(ph));
    out_->literal("\",\"ts\":");
    ts(t_ns);
    out_->literal(",\"pid\":");
    util::append_json_number(*out_, pid);
    out_->literal(",\"tid\":");
    util::append_json_number(*out_, std::int64_t(tid));
  }
  void ts(std::int64_t t_ns) {  // microseconds with three decimals: "%lld.%03lld"
    if (t_ns < 0) t_ns = 0;
    char text[32];
    char* p = std::to_chars(text, text + 24, t_ns / 1000).ptr;
    int ns = static_cast<int>(t_ns % 1000);
    p[0] = '.';
    p[1] = static_cast<char>('0' + ns / 100);
    p[2] = static_cast<char>('0' + ns / 10 % 10);
    p[3] = static_cast<char>('0' + ns % 10);
    out_->append(text, static_cast<std::size_t>(p + 4 - text));
  }
  void key(std::string_view k, std::string_view value) {
    out_->push_back(',');
    util::append_json_string(*out_, k);
    out_->push_back(':');
    util::append_json_string(*out_, value);
  }
  void end() { out_->push_back('}'); }

  // Names a process (and a thread, below) once: the name is prefix + name, built only then.
  void name_process(std::int64_t pid, std::string_view prefix, std::string_view name, int sort, std::int64_t t_ns) {
    if (!named_processes_.insert(pid).second) return;
    const auto whole = std::string(prefix).append(name);
    start("M", t_ns, pid, 0);
    key("name", "process_name");
    out_->literal(",\"args\":{\"name\":");
    util::append_json_string(*out_, whole);
    out_->literal("}}");
    start("M", t_ns, pid, 0);
    key("name", "process_sort_index");
    out_->literal(",\"args\":{\"sort_index\":");
    util::append_json_number(*out_, std::int64_t(sort));
    out_->literal("}}");
  }
  void name_thread(std::int64_t pid, int tid, std::string_view prefix, std::string_view name, std::int64_t t_ns) {
    if (!named_threads_.insert({pid, tid}).second) return;
    const auto whole = std::string(prefix).append(name);
    start("M", t_ns, pid, tid);
    key("name", "thread_name");
    out_->literal(",\"args\":{\"name\":");
    util::append_json_string(*out_, whole);
    out_->literal("}}");
    start("M", t_ns, pid, tid);
    key("name", "thread_sort_index");
    out_->literal(",\"args\":{\"sort_index\":");
    util::append_json_number(*out_, std::int64_t(tid));
    out_->literal("}}");
  }

  // args: the seq (the event's line in events.jsonl), and the whole summary when the name
  // had to be cut. (The type is the category; the source is the thread.)
  void event_args(const EventRef& e, const std::string& summary) {
    out_->literal(",\"args\":{\"seq\":");
    util::append_json_number(*out_, e.seq);
    if (summary.size() > kNameChars) key("text", summary);
    out_->push_back('}');
  }
  std::string short_name(const std::string& summary) {
    if (summary.size() <= kNameChars) return summary;
    std::size_t cut = kNameChars;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;
    return summary.substr(0, cut) + "…";
  }

  // An instant, its category the event's type: scope "t" (thread, the default, not
  // written), "p" (process) or "g" (global).
  void instant(const EventRef& e, std::int64_t pid, int tid, const char* scope) {
    auto summary = report::event_summary(e);
    start("i", e.t_ns, pid, tid);
    key("name", short_name(summary));
    key("cat", e.type);
    if (scope[0] != 't') key("s", scope);
    event_args(e, summary);
    end();
  }

  // --- processes and threads ------------------------------------------------------------

  std::int64_t harness(int tid, std::int64_t t_ns) {
    name_process(kHarnessTracePid, "bbx", {}, 0, t_ns);
    static const char* names[] = {"", "scenario", "steps", "assertions", "probes", "runner", "requests sent"};
    name_thread(kHarnessTracePid, tid, names[tid], {}, t_ns);
    return kHarnessTracePid;
  }

  Subject& subject(const EventRef& e) {
    auto it = subjects_.find(e.source.name);
    if (it == subjects_.end()) {
      Subject s;
      s.pid = e.source.pid;
      if (s.pid <= 0 || used_pids_.count(s.pid)) s.pid = kFirstSpareSubjectPid + std::int64_t(subjects_.size());
      used_pids_.insert(s.pid);
      it = subjects_.emplace(std::string(e.source.name), std::move(s)).first;
    }
    name_process(it->second.pid, "subject ", it->first, 1, e.t_ns);
    return it->second;
  }
  std::int64_t subject_thread(const EventRef& e, Subject& s, int tid, std::string_view prefix, std::string_view name = {}) {
    name_thread(s.pid, tid, prefix, name, e.t_ns);
    return s.pid;
  }

  std::int64_t fake(std::string_view name, int tid, std::int64_t t_ns) {
    auto it = fakes_.find(name);
    if (it == fakes_.end()) {
      it = fakes_.emplace(std::string(name), kFirstFakePid + std::int64_t(fakes_.size())).first;
      used_pids_.insert(it->second);
    }
    name_process(it->second, "fake ", it->first, 2, t_ns);
    name_thread(it->second, tid, tid == kArrivals ? "arrivals" : "events", {}, t_ns);
    return it->second;
  }

  // --- slices ---------------------------------------------------------------------------

  struct OpenStep {
    std::string name;
    std::uint64_t seq = 0;
  };

  void begin_step(const OpenStep& step, std::int64_t t_ns) {
    auto pid = harness(kSteps, t_ns);
    start("B", t_ns, pid, kSteps);
    key("name", short_name(step.name));
    key("cat", "step");
    out_->literal(",\"args\":{\"seq\":");
    util::append_json_number(*out_, step.seq);
    out_->literal("}}");
    open_step_ = step;
  }
  void end_step(std::int64_t t_ns, const EventRef* e) {
    if (!open_step_) return;
    start("E", t_ns, kHarnessTracePid, kSteps);
    if (e) {
      out_->literal(",\"args\":{\"seq\":");
      util::append_json_number(*out_, e->seq);
      key("result", report::event_summary(*e));
      out_->push_back('}');
    }
    end();
    open_step_.reset();
  }

  void begin_span(const std::string& span_key, const OpenSpan& span, std::int64_t t_ns) {
    start("b", t_ns, span.pid, span.tid);
    key("name", span.name);
    key("cat", span.cat);
    key("id", span.id);
    end();
    open_spans_[span_key] = span;
  }
  void end_span(const std::string& span_key, std::int64_t t_ns, const EventRef* e) {
    auto it = open_spans_.find(span_key);
    if (it == open_spans_.end()) return;
    const auto& span = it->second;
    start("e", t_ns, span.pid, span.tid);
    key("name", span.name);
    key("cat", span.cat);
    key("id", span.id);
    if (e) {
      out_->literal(",\"args\":{\"seq\":");
      util::append_json_number(*out_, e->seq);
      key("result", result_text(*e));
      out_->push_back('}');
    }
    end();
    open_spans_.erase(it);
  }

  void close_all_open(std::int64_t t_ns) {
    end_step(t_ns, nullptr);
    while (!open_spans_.empty()) end_span(open_spans_.begin()->first, t_ns, nullptr);
  }

  // A zero-length slice where a flow starts or ends (flows bind to slices), then the flow event.
  void flow_point(const char* ph, std::int64_t t_ns, std::int64_t pid, int tid, const std::string& name, std::uint64_t id) {
    if (std::strcmp(ph, "s") == 0 && !(pid == kHarnessTracePid && tid == kSteps)) {
      start("X", t_ns, pid, tid);
      key("name", name);
      key("cat", "request");
      out_->literal(",\"dur\":0}");
    }
    if (std::strcmp(ph, "f") == 0) {
      start("X", t_ns, pid, tid);
      key("name", name);
      key("cat", "request");
      out_->literal(",\"dur\":0}");
    }
    start(ph, t_ns, pid, tid);
    key("name", "request");
    key("cat", "flow");
    out_->literal(",\"id\":");
    util::append_json_number(*out_, id);
    if (std::strcmp(ph, "f") == 0) key("bp", "e");
    end();
  }

  // --- events ---------------------------------------------------------------------------

  void on_event(const EventRef& e) {
    const auto& k = e.source.kind;
    if (k == "subject") return on_subject(e);
    if (k == "fake") return on_fake(e);
    if (k == "step") return on_step(e);
    if (k == "assert") {
      auto pid = harness(kAssertions, e.t_ns);
      bool failed = ev::assert_fail.is(e.type);
      return instant(e, pid, kAssertions, failed ? "g" : "t");
    }
    if (k == "probe") return instant(e, harness(kProbes, e.t_ns), kProbes, "t");
    if (k == "runner") return instant(e, harness(kRunner, e.t_ns), kRunner, "t");
    // scenario (and any kind a newer bbx adds)
    bool failed_end = ev::scenario_end.is(e.type) && e.body.str("verdict") != "passed";
    instant(e, harness(kScenario, e.t_ns), kScenario, failed_end ? "g" : "t");
  }

  void on_subject(const EventRef& e) {
    auto& s = subject(e);
    if (ev::resource_sample.is(e.type)) {
      subject_thread(e, s, kLifecycle, "lifecycle");
      return resource_counters(e, s);
    }
    if (ev::output_line.is(e.type)) {
      bool err = e.body.str("stream") == "stderr";
      auto pid = subject_thread(e, s, err ? kStderr : kStdout, err ? "stderr" : "stdout");
      return instant(e, pid, err ? kStderr : kStdout, "t");
    }
    if (ev::log_line.is(e.type)) {
      auto path = e.body.str("path", "log");
      auto it = s.logs.find(path);
      if (it == s.logs.end()) it = s.logs.emplace(path, kFirstLog + int(s.logs.size())).first;
      auto pid = subject_thread(e, s, it->second, "log ", path);
      return instant(e, pid, it->second, "t");
    }
    auto pid = subject_thread(e, s, kLifecycle, "lifecycle");
    instant(e, pid, kLifecycle, "t");
  }

  // One counter event: a track per series (Perfetto names it "<name> <series>"; the legacy
  // viewer stacks the series of one name, so only series that add up share a name).
  void counter(std::int64_t t_ns, std::int64_t pid, const std::string& name,
               std::initializer_list<std::pair<const char*, double>> series) {
    start("C", t_ns, pid, 0);
    key("name", name);
    out_->literal(",\"args\":{");
    bool first = true;
    for (const auto& [label, value] : series) {
      if (!first) out_->push_back(',');
      first = false;
      util::append_json_string(*out_, label);
      char text[40];
      int n = std::snprintf(text, sizeof text, ":%.3f", value);
      out_->append(text, static_cast<std::size_t>(n));
    }
    out_->literal("}}");
  }
  void counter(std::int64_t t_ns, std::int64_t pid, const std::string& name, const char* series, std::optional<double> v,
               double scale = 1) {
    if (v) counter(t_ns, pid, name, {{series, *v * scale}});
  }

  // A resource.sample as counter tracks: CPU percent (total, and user/system when split),
  // memory, I/O and context-switch rates, fds, threads, processes (views/resource_rates.hpp:
  // what the sample lacks is left out, never written as 0); and, when the sample lists its
  // processes, CPU percent and RSS of the top ones.
  void resource_counters(const EventRef& e, Subject& s) {
    constexpr double kMiB = 1.0 / (1 << 20), kKiB = 1.0 / 1024;
    auto p = rates_.add(e, true);
    const auto t = e.t_ns;
    counter(t, s.pid, "cpu (%)", "total", p.cpu_pct);
    if (p.cpu_user_pct && p.cpu_system_pct)
      counter(t, s.pid, "cpu by mode (%)", {{"user", *p.cpu_user_pct}, {"system", *p.cpu_system_pct}});
    counter(t, s.pid, "memory (MiB)", "rss", p.rss_bytes, kMiB);
    counter(t, s.pid, "memory peak (MiB)", "rss_peak", p.rss_peak_bytes, kMiB);
    counter(t, s.pid, "memory pss (MiB)", "pss", p.pss_bytes, kMiB);
    if (p.read_bps && p.write_bps)
      counter(t, s.pid, "io (KiB/s)", {{"read", *p.read_bps * kKiB}, {"write", *p.write_bps * kKiB}});
    if (p.ctx_voluntary_ps && p.ctx_involuntary_ps)
      counter(t, s.pid, "context switches (/s)", {{"voluntary", *p.ctx_voluntary_ps}, {"involuntary", *p.ctx_involuntary_ps}});
    counter(t, s.pid, "fds", "fds", p.fds);
    counter(t, s.pid, "threads", "threads", p.threads);
    counter(t, s.pid, "processes", "processes", p.processes);
    if (p.has_procs) process_counters(t, s, p.procs);
  }

  // The top processes of a tree: a process gets tracks once it is among the kTopProcesses
  // of a sample by CPU or by RSS (while fewer than kMaxProcessTracks are tracked), then has
  // values on every sample while it lives, and 0 once when it is gone (so no track holds a
  // dead process's last value). A tree of one process has none: its totals say it all. A
  // sample without `procs` leaves the tracks as they are.
  void process_counters(std::int64_t t, Subject& s, const std::vector<ProcessPoint>& procs) {
    constexpr std::size_t kTopProcesses = 3, kMaxProcessTracks = 10;
    constexpr double kMiB = 1.0 / (1 << 20);
    if (procs.size() >= 2 && s.tracked.size() < kMaxProcessTracks) {
      auto take_top = [&](auto better) {
        std::vector<const ProcessPoint*> order;
        for (const auto& pp : procs) order.push_back(&pp);
        std::sort(order.begin(), order.end(), [&](auto* a, auto* b) { return better(*a, *b); });
        for (std::size_t i = 0; i < order.size() && i < kTopProcesses && s.tracked.size() < kMaxProcessTracks; ++i)
          if (!s.tracked.count(order[i]->pid))
            s.tracked[order[i]->pid] = "pid " + std::to_string(order[i]->pid) + " " + order[i]->comm;
      };
      take_top([](const ProcessPoint& a, const ProcessPoint& b) { return a.cpu_pct.value_or(-1) > b.cpu_pct.value_or(-1); });
      take_top([](const ProcessPoint& a, const ProcessPoint& b) { return a.rss_bytes.value_or(-1) > b.rss_bytes.value_or(-1); });
    }
    std::set<std::int64_t> alive;
    for (const auto& pp : procs) {
      alive.insert(pp.pid);
      auto it = s.tracked.find(pp.pid);
      if (it == s.tracked.end()) continue;
      counter(t, s.pid, it->second + " cpu (%)", "cpu", pp.cpu_pct);
      counter(t, s.pid, it->second + " memory (MiB)", "rss", pp.rss_bytes, kMiB);
    }
    for (auto it = s.tracked.begin(); it != s.tracked.end();) {
      if (alive.count(it->first)) {
        ++it;
        continue;
      }
      counter(t, s.pid, it->second + " cpu (%)", {{"cpu", 0.0}});
      counter(t, s.pid, it->second + " memory (MiB)", {{"rss", 0.0}});
      it = s.tracked.erase(it);
    }
  }

  void on_fake(const EventRef& e) {
    const auto& name = e.source.name;
    if (ev::http_request.is(e.type)) return on_request(e);
    if (ev::http_response.is(e.type)) {
      auto it = requests_.find(static_cast<std::uint64_t>(e.body.num("request_seq")));
      if (it != requests_.end()) return on_response(e, it);
    }
    if (ev::tcp_connect.is(e.type)) {
      auto pid = fake(name, kArrivals, e.t_ns);
      auto conn = static_cast<std::uint64_t>(e.body.num("conn"));
      OpenSpan span{pid, kArrivals, "tcp", "connection " + std::to_string(conn) + " from " + e.body.str("client"),
                    "tcp:" + std::string(name) + ":" + std::to_string(conn)};
      begin_span(span.id, span, e.t_ns);
      return;
    }
    if (ev::tcp_close.is(e.type)) {
      auto id = "tcp:" + std::string(name) + ":" + std::to_string(static_cast<std::uint64_t>(e.body.num("conn")));
      if (open_spans_.count(id)) {
        instant(e, fake(name, kFakeEvents, e.t_ns), kFakeEvents, "t");
        return end_span(id, e.t_ns, &e);
      }
    }
    instant(e, fake(name, kFakeEvents, e.t_ns), kFakeEvents, "t");
  }

  // --- HTTP requests ----------------------------------------------------------------------
  // A request is a slice on the first of its fake's lanes (threads "arrivals", "arrivals 2",
  // ...) free at its arrival: one X event, written where the request began once its answer
  // says how long it took (what comes after is held until then). Without a free lane, or
  // held too long (kMaxHeldBytes), or unanswered at a cut or at the end, it is an async span
  // (b/e) instead.

  struct Held {
    std::uint64_t request = 0;
    bool comma = false;      // a separator goes before its event
    util::TextBuffer slot;   // its event, once known
    bool ready = false;
    util::TextBuffer after;  // what was written after it
  };
  struct OpenRequest {
    std::int64_t pid = 0;
    std::size_t lane = kMaxLanes;  // kMaxLanes: none (an async span from the start)
    std::string name;
    std::int64_t t_ns = 0;
    bool held = false;  // its slot is in held_ (else it is the async span "http:<seq>")
  };

  static int lane_tid(std::size_t lane) { return kArrivals + int(lane); }

  void on_request(const EventRef& e) {
    auto pid = fake(e.source.name, kArrivals, e.t_ns);
    auto label = e.body.str("method", "?") + " " + e.body.str("target");
    auto& busy = lanes_[pid];
    std::size_t lane = 0;
    while (lane < busy.size() && busy[lane]) ++lane;
    if (lane == kMaxLanes) {
      flow_from(e, label, kArrivals);
      OpenSpan span{pid, kArrivals, "http", short_name(label), std::to_string(e.seq)};
      begin_span("http:" + std::to_string(e.seq), span, e.t_ns);
      requests_[e.seq] = {pid, kMaxLanes, span.name, e.t_ns, false};
      return;
    }
    if (lane == busy.size()) busy.push_back(true);
    busy[lane] = true;
    int tid = lane_tid(lane);
    if (lane > 0) name_thread(pid, tid, "arrivals ", std::to_string(lane + 1), e.t_ns);
    requests_[e.seq] = {pid, lane, short_name(label), e.t_ns, true};
    auto& h = held_.emplace_back();
    h.request = e.seq;
    h.comma = !first_event_;
    first_event_ = false;
    ++result_.trace_events;
    out_ = &h.after;
    flow_from(e, label, tid);
  }

  void on_response(const EventRef& e, std::map<std::uint64_t, OpenRequest>::iterator it) {
    auto request = it->first;
    auto r = std::move(it->second);
    requests_.erase(it);
    if (r.lane < kMaxLanes) lanes_[r.pid][r.lane] = false;
    if (!r.held) return end_span("http:" + std::to_string(request), e.t_ns, &e);
    auto h = std::find_if(held_.begin(), held_.end(), [&](const Held& x) { return x.request == request; });
    auto* was = out_;
    out_ = &h->slot;
    begin_event("X", r.t_ns, r.pid, lane_tid(r.lane));
    key("name", r.name);
    key("cat", "http");
    out_->literal(",\"dur\":");
    ts(e.t_ns - r.t_ns);
    out_->literal(",\"args\":{\"seq\":");
    util::append_json_number(*out_, request);
    out_->literal(",\"response_seq\":");
    util::append_json_number(*out_, e.seq);
    key("result", result_text(e));
    out_->literal("}}");
    out_ = was;
    h->ready = true;
    release_ready();
  }

  // Writes the held requests whose slots are filled, oldest first, up to the first still open.
  void release_ready() {
    while (!held_.empty() && held_.front().ready) {
      auto& h = held_.front();
      if (h.comma) buf_.literal(",\n");
      buf_.append(h.slot.view());
      buf_.append(h.after.view());
      held_.pop_front();
    }
    out_ = held_.empty() ? &buf_ : &held_.back().after;
  }

  // The oldest held request becomes an async span (its b in its slot), written with what
  // was held behind it up to the next request still open.
  void release_oldest_held() {
    auto& h = held_.front();
    auto& r = requests_.at(h.request);
    r.held = false;
    auto* was = out_;
    out_ = &h.slot;
    first_event_ = true;  // no separator in the slot: h.comma says
    --result_.trace_events;  // counted when it was held
    OpenSpan span{r.pid, lane_tid(r.lane), "http", r.name, std::to_string(h.request)};
    begin_span("http:" + std::to_string(h.request), span, r.t_ns);
    first_event_ = false;
    out_ = was;
    h.ready = true;
    release_ready();
  }
  std::size_t held_bytes() const {
    std::size_t n = 0;
    for (const auto& h : held_) n += h.slot.size() + h.after.size();
    return n;
  }

  // The flow from whoever sent a request (http.request's `from`) to its arrival (on the
  // fake's thread arrival_tid).
  void flow_from(const EventRef& e, const std::string& label, int arrival_tid) {
    auto from = e.body.object("from");
    if (!from) return;
    auto kind = from->str("kind");
    std::int64_t pid = 0;
    int tid = 0;
    if (kind == "subject") {
      auto it = subjects_.find(from->str("name"));
      if (it == subjects_.end()) return;
      pid = it->second.pid;
      tid = kSubjectSent;
      name_process(pid, "subject ", it->first, 1, e.t_ns);
      name_thread(pid, tid, "requests sent", {}, e.t_ns);
    } else if (kind == "bbx") {
      pid = harness(open_step_ ? kSteps : kHarnessSent, e.t_ns);
      tid = open_step_ ? kSteps : kHarnessSent;
    } else {
      return;
    }
    auto fake_pid = fake(e.source.name, kArrivals, e.t_ns);
    flow_point("s", e.t_ns, pid, tid, "→ " + short_name(label), e.seq);
    flow_point("f", e.t_ns, fake_pid, arrival_tid, short_name(label), e.seq);
  }

  void on_step(const EventRef& e) {
    if (ev::step_begin.is(e.type)) {
      end_step(e.t_ns, nullptr);
      return begin_step({std::string(e.source.name), e.seq}, e.t_ns);
    }
    if (ev::step_end.is(e.type)) {
      if (open_step_) return end_step(e.t_ns, &e);
    }
    instant(e, harness(kSteps, e.t_ns), kSteps, ev::mark.is(e.type) ? "p" : "t");
  }

  fs::path first_;
  TraceOptions options_;
  TraceResult result_;
  fs::path tmp_;
  std::FILE* file_ = nullptr;
  std::uint64_t file_bytes_ = 0;
  bool first_event_ = true;
  util::TextBuffer buf_;
  std::int64_t last_ns_ = 0;
  std::set<std::int64_t> named_processes_;
  std::set<std::pair<std::int64_t, int>> named_threads_;
  std::map<std::string, Subject, std::less<>> subjects_;
  std::map<std::string, std::int64_t, std::less<>> fakes_;
  std::set<std::int64_t> used_pids_;
  std::optional<OpenStep> open_step_;
  std::map<std::string, OpenSpan> open_spans_;
  std::map<std::uint64_t, OpenRequest> requests_;          // open HTTP requests by seq
  std::map<std::int64_t, std::vector<bool>> lanes_;        // a fake's lanes: busy or not
  std::deque<Held> held_;                                  // oldest first
  util::TextBuffer* out_ = &buf_;                          // buf_, or the newest held's `after`
  ResourceRates rates_;

 public:
  ~TraceWriter() {
    if (file_) {
      std::fclose(file_);
      std::error_code ec;
      fs::remove(tmp_, ec);
    }
  }
};

}  // namespace

TraceResult write_trace_json(const journal::EventLog& log, const std::filesystem::path& path, const TraceOptions& options) {
  TraceWriter writer(path, options);
  return writer.run(log);
}

}  // namespace bbx::views
