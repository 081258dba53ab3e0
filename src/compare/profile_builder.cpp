#include "compare/profile_builder.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "compare/stats.hpp"
#include "util/text.hpp"
#include "util/text_hash.hpp"

namespace bbx::compare {

class ProfileBuilder::Impl {
 public:
  Impl(RunProfile& p, const ProfileOptions& o, IdentityText identity, std::map<std::string, Daemonizing> daemonizing)
      : p_(p), o_(o), ident_(std::move(identity)), daemonizing_(std::move(daemonizing)) {}

  void add(const Record& e) {
    ++p_.events;
    auto it = handlers().find(e.type);
    if (it == handlers().end()) return;  // a type this bbx does not know: not compared
    (this->*(it->second))(e);
  }

  void finish(std::int64_t last_t_ns) {
    for (auto& [key, c] : counts_) p_.counts[key] = c;
    for (auto& [key, s] : samples_) {
      Number n = s.first;
      n.value = median(std::move(s.second));
      p_.numbers[key] = n;
    }
    for (const auto& [subject, peak] : peaks_) {
      p_.numbers["subject '" + subject + "' peak memory"] = {Unit::bytes, peak.rss, peak.seq};
      p_.numbers["subject '" + subject + "' peak open files"] = {Unit::count, peak.fds, peak.seq};
      p_.numbers["subject '" + subject + "' peak threads"] = {Unit::count, peak.threads, peak.seq};
      p_.numbers["subject '" + subject + "' CPU time"] = {Unit::ns, peak.cpu_ms * 1e6, peak.seq};
    }
    if (last_t_ns > 0) p_.numbers["scenario duration"] = {Unit::ns, double(last_t_ns), last_seq_, true};
  }

 private:
  using Handler = void (Impl::*)(const Record&);

  static const std::unordered_map<std::string_view, Handler, util::TextHash>& handlers() {
    static const std::unordered_map<std::string_view, Handler, util::TextHash> table = {
        {"scenario.end", &Impl::scenario_end},
        {"step.begin", &Impl::step_begin},
        {"step.end", &Impl::step_end},
        {"mark", &Impl::step_event},
        {"wait.done", &Impl::step_event},
        {"http.reply", &Impl::step_event},
        {"file.write", &Impl::file_write},
        {"process.spawn", &Impl::subject_event},
        {"process.exit", &Impl::process_exit},
        {"process.signal", &Impl::process_signal},
        {"subject.daemonized", &Impl::subject_event},
        {"output.line", &Impl::line},
        {"log.line", &Impl::line},
        {"command.start", &Impl::step_event},
        {"command.exit", &Impl::command_exit},
        {"subject.ready_check", &Impl::subject_event},
        {"socket.listen", &Impl::subject_event},
        {"subject.ready", &Impl::subject_ready},
        {"fake.listen", &Impl::fake_setup},
        {"statsd.receiver", &Impl::fake_setup},
        {"tcp.server", &Impl::fake_setup},
        {"http.request", &Impl::http_request},
        {"http.response", &Impl::http_response},
        {"http.bad_request", &Impl::http_other},
        {"http.tls_error", &Impl::http_other},
        {"http.upstream", &Impl::http_upstream},
        {"statsd.datagram", &Impl::statsd_datagram},
        {"statsd.event", &Impl::statsd_other},
        {"statsd.service_check", &Impl::statsd_other},
        {"statsd.parse_error", &Impl::statsd_other},
        {"tcp.connect", &Impl::tcp_other},
        {"tcp.message", &Impl::tcp_message},
        {"tcp.framing_error", &Impl::tcp_other},
        {"tcp.close", &Impl::tcp_other},
        {"assert.pass", &Impl::check},
        {"assert.fail", &Impl::check},
        {"assert.skip", &Impl::check},
        {"resource.sample", &Impl::resource_sample},
        // Not compared (docs/comparing-runs.md): scenario.begin (rules and roles come from it),
        // port.allocate (roles), probe.sample (which sample failed is timing), statsd.loss
        // (machine load), resource.sampler (bbx's own cost), failure.snapshot and
        // failure.stacks (diagnostics of a failure: the verdict says it failed).
    };
    return table;
  }

  // ---- lanes and items ----------------------------------------------------------------

  std::size_t lane(std::string_view name, LaneKind kind, bool lines = false) {
    auto it = lane_index_.find(name);
    if (it != lane_index_.end()) return it->second;
    p_.lanes.push_back(Lane{std::string(name), kind, lines, {}});
    lane_aliases_.emplace_back();
    lane_index_.emplace(std::string(name), p_.lanes.size() - 1);
    return p_.lanes.size() - 1;
  }

  // "fake 'NAME'" and then parts, written into a buffer reused from event to event: the
  // lane names and count and number keys of every request, response and metric, without
  // allocating. Valid until the next call.
  std::string_view fake_key(const Record& e, std::initializer_list<std::string_view> parts) {
    key_.assign("fake '").append(e.source.name).append("'");
    for (auto part : parts) key_.append(part);
    return key_;
  }

  // The aliases of an item: its lane's for a sequence lane (equal values keep their number
  // along the lane), a fresh scope for multiset lanes (order-free numbering).
  Aliases& aliases_for(std::size_t lane_index) {
    if (p_.lanes[lane_index].kind == LaneKind::sequence) return lane_aliases_[lane_index];
    item_aliases_.clear();
    return item_aliases_;
  }

  // Adds an item unless the scenario's rules ignore it; false when ignored.
  bool item(std::size_t lane_index, const Record& e, const std::string& identity, const std::string& head) {
    const Rules& rules = ident_.rules();
    if (!rules.ignore().empty() && rules.ignores_event(e.type, e.source.name, identity)) return false;
    Item it{text_hash(identity), 0, e.seq};
    it.head = &head == &identity ? it.hash : text_hash(head);
    Lane& l = p_.lanes[lane_index];
    l.items.push_back(it);
    keep_text(it.hash, identity, l.lines);
    if (!l.lines) p_.heads.try_emplace(it.head, head);  // a line's head is its template (count_lines)
    return true;
  }

  void keep_text(std::uint64_t hash, const std::string& text, bool always) {
    if (o_.want) {
      if (o_.want->count(hash)) p_.texts.emplace(hash, text);
      return;
    }
    if (!always && kept_bytes_ + text.size() > o_.text_budget) {
      if (p_.texts_complete && !p_.texts.count(hash)) p_.texts_complete = false;  // once is enough to know
      return;
    }
    if (p_.texts.try_emplace(hash, text).second && !always) kept_bytes_ += text.size();
  }

  void count(std::string_view key, const Record& e, std::int64_t n = 1) {
    auto it = counts_.find(key);
    if (it == counts_.end()) it = counts_.emplace(std::string(key), Count{0, e.seq}).first;
    it->second.n += n;
  }

  std::string occurrence(const std::string& key) {
    int k = ++occurrences_[key];
    return k == 1 ? key : key + " #" + std::to_string(k);
  }

  void outcome(const std::string& key, std::string value, const Record& e, int rank) {
    p_.outcomes[occurrence(key)] = Outcome{std::move(value), e.seq, rank};
  }

  void sample(std::string_view key, Unit unit, double value, const Record& e) {
    auto it = samples_.find(key);
    if (it == samples_.end()) it = samples_.emplace(std::string(key), std::pair{Number{unit, 0, e.seq, unit == Unit::ns}, std::vector<double>{}}).first;
    it->second.second.push_back(value);
  }

  static std::string subject_label(const Record& e) { return "subject '" + e.source.name + "'"; }
  static std::string fake_label(const Record& e) { return "fake '" + e.source.name + "'"; }
  static std::string step_label(const Record& e) {
    return (e.source.kind == "probe" ? "check '" : "step '") + e.source.name + "'";
  }

  // A generic item: head, then the kept fields.
  void generic(std::size_t lane_index, const Record& e, const std::string& head,
               std::initializer_list<std::string_view> skip = {}) {
    Aliases& a = aliases_for(lane_index);
    std::string identity = head;
    ident_.render_fields(e, e.body, "", a, identity, skip);
    item(lane_index, e, identity, head);
  }

  // ---- handlers -----------------------------------------------------------------------

  void scenario_end(const Record& e) {
    outcome("verdict", str(e.body, "verdict"), e, 0);
    if (e.body["cpu_pressure"].is_number()) p_.cpu_pressure = e.body["cpu_pressure"].number();
    last_seq_ = e.seq;
  }

  void step_begin(const Record& e) {
    step_started_[e.source.name] = e.t_ns;
    generic(lane(step_label(e), LaneKind::sequence), e, "begins");
  }

  void step_end(const Record& e) {
    auto key = step_label(e);
    std::string result = e.body.contains("cut_short") ? "cut short: " + str(e.body, "cut_short")
                         : flag(e.body, "ok")        ? "ok"
                                                     : "failed";
    outcome(key, result, e, 3);
    if (auto it = step_started_.find(e.source.name); it != step_started_.end()) {
      sample(occurrence_key(key + " duration"), Unit::ns, double(e.t_ns - it->second), e);
      step_started_.erase(it);
    }
    generic(lane(key, LaneKind::sequence), e, "ends");
  }

  // Numbers measured once per occurrence (a step run twice, a subject restarted) keep each
  // occurrence apart: "step 'x' duration", "step 'x' duration #2".
  std::string occurrence_key(const std::string& key) {
    int k = ++number_occurrences_[key];
    return k == 1 ? key : key + " #" + std::to_string(k);
  }

  void step_event(const Record& e) {
    std::string head = e.type == "mark" ? "mark" : e.type == "wait.done" ? "waited" : e.type == "http.reply" ? "reply"
                                                                                                             : "runs";
    generic(lane(step_label(e), LaneKind::sequence), e, head);
  }

  void command_exit(const Record& e) {
    std::string what = e.body.contains("signal") ? "killed by " + str(e.body, "signal")
                                                 : "exited with code " + str(e.body, "code");
    if (flag(e.body, "timed_out")) what += " (timed out)";
    outcome(step_label(e) + " command", what, e, 2);
    generic(lane(step_label(e), LaneKind::sequence), e, "command " + what);
  }

  void file_write(const Record& e) { generic(lane("scenario files", LaneKind::sequence), e, "writes " + str(e.body, "path")); }

  const Daemonizing* daemonizing(const Record& e) const {
    auto it = daemonizing_.find(e.source.name);
    return it == daemonizing_.end() ? nullptr : &it->second;
  }

  void subject_event(const Record& e) {
    if (e.type == "subject.daemonized") return daemonized(e);
    // A readiness's conditions are polled each on its own: which one is met first (nginx's
    // log line or its port) is timing. Each condition is behaviour, their order is not.
    if (e.type == "subject.ready_check" || e.type == "socket.listen")
      return generic(lane(subject_label(e) + " readiness", LaneKind::multiset), e,
                     e.type == "socket.listen" ? "listens" : "readiness check met");
    static const std::unordered_map<std::string_view, std::string> heads = {
        {"process.spawn", "starts"},          {"process.signal", "is sent a signal"},
        {"subject.daemonized", "daemonizes"}, {"subject.ready_check", "readiness check met"},
        {"socket.listen", "listens"}};
    generic(lane(subject_label(e), LaneKind::sequence), e, heads.at(e.type));
  }

  // One item per daemonizing chain, from its launcher into its daemon, at its last link.
  void daemonized(const Record& e) {
    const Daemonizing* d = daemonizing(e);
    auto pid = static_cast<long long>(num(e.body, "pid"));
    if (d && d->leads_from(pid)) return;  // a middle link: the chain goes on
    auto from = d ? d->start_of(pid) : static_cast<long long>(num(e.body, "from"));
    auto role = [&](long long p) { return ident_.roles().pid_role(p).value_or("[PID:?]"); };
    // A lane of its own: when the double fork is seen, before or after readiness, is timing.
    std::size_t l = lane(subject_label(e) + " daemonizing", LaneKind::sequence);
    item(l, e, "daemonizes | from=" + role(from) + " | into=" + role(pid), "daemonizes");
  }

  // bbx stopping a subject: from then on the exits of its other processes are teardown,
  // and whether a child (a forked connection handler) was still there to be stopped, or
  // had ended and been reaped by its own parent before, is timing.
  void process_signal(const Record& e) {
    if (str(e.body, "reason") == "stop") stopping_.insert(e.source.name);
    subject_event(e);
  }

  void process_exit(const Record& e) {
    if (e.source.name == "unknown") return;  // an orphan the runner reaped: timing (docs)
    bool main = flag(e.body, "main");
    if (!main && stopping_.count(e.source.name)) return;  // teardown (process_signal)
    std::string describe = str(e.body, "describe");
    const Daemonizing* d = daemonizing(e);
    bool clean = e.body["code"].is_number() && e.body["code"].number() == 0;
    // The launcher and the middle process of a double fork exit as part of daemonizing.
    if (d && clean && (d->leads_from(e.source.pid) || (!main && d->inside_a_chain(e.source.pid)))) return;
    if (main) {
      outcome("exit of " + subject_label(e), describe, e, 2);
      generic(lane(subject_label(e), LaneKind::sequence), e, "exits: " + describe);
    } else {
      generic(lane(subject_label(e) + " other processes", LaneKind::multiset), e, "child exits: " + describe);
    }
  }

  void subject_ready(const Record& e) {
    sample(occurrence_key(subject_label(e) + " ready after"), Unit::ns, num(e.body, "waited_ns"), e);
    generic(lane(subject_label(e), LaneKind::sequence), e, "ready");
  }

  void line(const Record& e) {
    std::string& name = key_;  // "subject 'app' stdout" (no allocation: key_ is reused)
    name.assign(e.source.kind == "subject" ? "subject '" : e.source.kind == "probe" ? "check '" : "step '");
    name.append(e.source.name).append("'");
    if (e.type == "log.line")
      name.append(" log ").append(view(e.body, "path"));
    else
      name.append(" ").append(view(e.body, "stream"));
    std::size_t l = lane(name, LaneKind::sequence, true);
    std::string identity = ident_.norm(view(e.body, "line"), lane_aliases_[l]);
    for (const char* f : {"split", "partial", "truncated"})
      if (flag(e.body, f)) identity += std::string(" [") + f + "]";
    item(l, e, identity, identity);  // the head becomes the line's template (count_lines)
  }

  void fake_setup(const Record& e) {
    static const std::unordered_map<std::string_view, std::string> heads = {
        {"fake.listen", "listens"}, {"statsd.receiver", "receives"}, {"tcp.server", "serves"}};
    generic(lane(fake_label(e), LaneKind::sequence), e, heads.at(e.type));
  }

  void http_request(const Record& e) {
    std::size_t l = lane(fake_key(e, {" requests"}), LaneKind::multiset_ordered);
    Aliases& a = aliases_for(l);
    std::string head = str(e.body, "method");
    head += ' ';
    ident_.norm(str(e.body, "target"), a, head);
    if (!item_with_fields(l, e, head, {"method", "target", "path", "query"})) {
      ignored_requests_.insert(e.seq);
      return;
    }
    pending_[e.seq] = std::move(head);
  }

  bool item_with_fields(std::size_t l, const Record& e, const std::string& head, std::initializer_list<std::string_view> skip) {
    Aliases& a = p_.lanes[l].kind == LaneKind::sequence ? lane_aliases_[l] : item_aliases_;
    std::string identity = head;
    ident_.render_fields(e, e.body, "", a, identity, skip);
    return item(l, e, identity, head);
  }

  void http_response(const Record& e) {
    auto request_seq = std::uint64_t(num(e.body, "request_seq"));
    if (ignored_requests_.erase(request_seq)) return;
    std::string request = "?";
    if (auto it = pending_.find(request_seq); it != pending_.end()) {
      request = std::move(it->second);
      pending_.erase(it);
    }
    std::string status = str(e.body, "status");
    std::string route = route_text(e.body);
    std::size_t l = lane(fake_key(e, {" responses"}), LaneKind::multiset);
    item_aliases_.clear();
    item_with_fields(l, e, request + " -> " + status, {"status"});
    count(fake_key(e, {" responses ", route, " -> ", status}), e);
    sample(fake_key(e, {" latency ", route}), Unit::ns, num(e.body, "latency_us") * 1000, e);
  }

  static std::string route_text(Val b) {
    Val r = b["route"];
    if (!r.is_integer() || r.integer() < 0) return "no route";
    return "route " + std::to_string(r.integer());
  }

  void http_other(const Record& e) {
    if (e.type == "http.bad_request" && num(e.body, "status") == 0) return;  // the client gave up: timing (docs)
    std::size_t l = lane(fake_label(e) + " requests", LaneKind::multiset_ordered);
    std::string head = e.type == "http.tls_error" ? "TLS error" : "bad request -> " + str(e.body, "status");
    item_aliases_.clear();
    item_with_fields(l, e, head, {});
    count(fake_label(e) + (e.type == "http.tls_error" ? " TLS errors" : " bad requests"), e);
  }

  void http_upstream(const Record& e) {
    std::size_t l = lane(fake_label(e) + " upstream exchanges", LaneKind::multiset);
    item_aliases_.clear();
    Val req = e.body["request"];
    std::string head = "upstream " + str(req, "method") + " " + ident_.norm(str(req, "target"), item_aliases_) + " -> " +
                       str(e.body, "outcome");
    item_with_fields(l, e, head, {});
    count(fake_label(e) + " upstream exchanges " + str(e.body, "outcome"), e);
    sample(fake_label(e) + " upstream latency", Unit::ns, num(e.body, "latency_us") * 1000, e);
  }

  void statsd_datagram(const Record& e) {
    std::size_t l = lane(fake_key(e, {" metrics"}), LaneKind::multiset);
    Val samples = e.body["samples"];
    if (!samples.is_array()) return;
    for (Val s : samples.elements()) {
      item_aliases_.clear();
      std::string name = ident_.norm(str(s, "name"), item_aliases_);
      std::string type = str(s, "type");
      std::vector<std::string> tags;
      for (Val t : s["tags"].elements()) tags.push_back(ident_.norm(t.is_string() ? std::string(t.text()) : t.dump(), item_aliases_));
      std::string tag_text = tags.empty() ? "" : "|#" + util::join(tags, ",");
      std::string head = name + "|" + type + tag_text;
      // Timers, histograms and distributions measure: their values are numbers (layer 3),
      // the sample itself is behaviour. Counters, gauges and sets are compared by value.
      bool measured = type == "ms" || type == "h" || type == "d";
      std::string identity = name + ":" + (measured ? "<measured>" : value_text(s)) + "|" + type;
      if (s.contains("rate") && num(s, "rate") != 1.0) identity += "|@" + s["rate"].dump();
      identity += tag_text;
      for (const char* f : {"delta", "container", "timestamp"})
        if (s.contains(f)) identity += std::string(" | ") + f + "=" + (is_clock_reading(f, s[f]) ? "[TIMESTAMP]" : s[f].dump());
      if (!item(l, e, identity, head)) continue;
      count(fake_key(e, {" samples of ", head}), e);
      if (measured && s["value"].is_number())
        sample(fake_key(e, {" metric ", head, " median"}), type == "ms" ? Unit::ns : Unit::value,
               num(s, "value") * (type == "ms" ? 1e6 : 1.0), e);
    }
  }

  // A sample's timestamp that reads as the clock of when it was sent (Unix seconds from
  // 2001-09-09 to 2286, the 10-digit ones: graphite's and DogStatsD's `|T`) is volatile, as
  // a time in a log line is; one outside (0, milliseconds by mistake) is compared as sent.
  static bool is_clock_reading(std::string_view field, Val v) {
    return field == "timestamp" && v.is_number() && v.number() >= 1e9 && v.number() < 1e10;
  }

  static std::string value_text(Val s) {
    Val v = s["value"];
    if (v.absent()) return "";
    if (v.is_string()) return std::string(v.text());
    if (v.is_number()) {
      double d = v.number();
      if (d == double(static_cast<long long>(d)) && std::fabs(d) < 1e15) return std::to_string(static_cast<long long>(d));
    }
    return v.dump();
  }

  void statsd_other(const Record& e) {
    std::size_t l = lane(fake_label(e) + " metrics", LaneKind::multiset);
    std::string head = e.type == "statsd.event"          ? "event " + str(e.body, "title")
                       : e.type == "statsd.service_check" ? "service check " + str(e.body, "name")
                                                          : "parse error";
    item_aliases_.clear();
    if (item_with_fields(l, e, head, {})) count(fake_label(e) + " " + e.type.substr(7) + "s", e);
  }

  void tcp_message(const Record& e) {
    std::size_t l = lane(fake_label(e) + " messages", LaneKind::multiset_ordered);
    item_aliases_.clear();
    std::string head = "message " + ident_.norm(str(e.body, "data"), item_aliases_);
    if (item_with_fields(l, e, head, {"data"}))
      count(fake_label(e) + " messages answered by reply " + str(e.body, "reply"), e);
  }

  void tcp_other(const Record& e) {
    std::size_t l = lane(fake_label(e) + " connections", LaneKind::multiset);
    std::string head = e.type == "tcp.connect" ? "connect" : e.type == "tcp.close" ? "close" : "framing error";
    item_aliases_.clear();
    if (item_with_fields(l, e, head, {})) count(fake_label(e) + " " + head + (e.type == "tcp.close" ? "d by " + str(e.body, "by") : ""), e);
  }

  void check(const Record& e) {
    std::string result = e.type == "assert.pass" ? "passed" : e.type == "assert.fail" ? "failed" : "skipped";
    outcome("check '" + e.source.name + "'", result, e, 1);
  }

  void resource_sample(const Record& e) {
    auto& peak = peaks_[e.source.name];
    peak.rss = std::max(peak.rss, num(e.body, "rss_bytes"));
    peak.fds = std::max(peak.fds, num(e.body, "fds"));
    peak.threads = std::max(peak.threads, num(e.body, "threads"));
    peak.cpu_ms = std::max(peak.cpu_ms, num(e.body, "cpu_ms"));
    if (!peak.seq) peak.seq = e.seq;
  }

  RunProfile& p_;
  const ProfileOptions& o_;
  IdentityText ident_;
  template <class V>  // looked up by string_view (keys built in key_)
  using KeyMap = std::unordered_map<std::string, V, util::TextHash, std::equal_to<>>;
  std::string key_;  // fake_key()'s and line()'s buffer
  KeyMap<std::size_t> lane_index_;
  std::vector<Aliases> lane_aliases_;
  Aliases item_aliases_;
  std::size_t kept_bytes_ = 0;
  std::unordered_map<std::string, int> occurrences_, number_occurrences_;
  std::unordered_map<std::string, std::int64_t> step_started_;
  boost::unordered_flat_map<std::uint64_t, std::string> pending_;  // http.request seq -> head, until its response
  std::unordered_set<std::uint64_t> ignored_requests_;
  std::set<std::string> stopping_;  // subjects bbx has begun to stop (process_signal)
  KeyMap<Count> counts_;  // into p_.counts at finish()
  KeyMap<std::pair<Number, std::vector<double>>> samples_;  // into p_.numbers
  struct Peak {
    double rss = 0, fds = 0, threads = 0, cpu_ms = 0;
    std::uint64_t seq = 0;
  };
  std::map<std::string, Peak> peaks_;
  std::map<std::string, Daemonizing> daemonizing_;
  std::uint64_t last_seq_ = 0;
};

ProfileBuilder::ProfileBuilder(RunProfile& profile, const ProfileOptions& options, IdentityText identity,
                               std::map<std::string, Daemonizing> daemonizing)
    : impl_(std::make_unique<Impl>(profile, options, std::move(identity), std::move(daemonizing))) {}
ProfileBuilder::~ProfileBuilder() = default;
void ProfileBuilder::add(const Record& e) { impl_->add(e); }
void ProfileBuilder::finish(std::int64_t last_t_ns) { impl_->finish(last_t_ns); }

}  // namespace bbx::compare
