#include "compare/run_profile.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "bbx/error.hpp"
#include "compare/event_fields.hpp"
#include "compare/roles.hpp"
#include "compare/rules.hpp"
#include "compare/stats.hpp"
#include "compare/volatile_values.hpp"
#include "journal/line_scan.hpp"
#include "journal/stored_journal.hpp"
#include "util/text.hpp"

#include <boost/json.hpp>

namespace bbx::compare {

using nlohmann::json;

std::uint64_t text_hash(std::string_view text) {
  // The standard library's string hash (8 bytes a step): baselines store texts, not hashes,
  // and nothing relies on more than equal texts giving equal hashes within one process.
  return std::hash<std::string_view>{}(text);
}

const Lane* RunProfile::lane(const std::string& name) const {
  for (const auto& l : lanes)
    if (l.name == name) return &l;
  return nullptr;
}

const std::string& RunProfile::text(std::uint64_t hash) const {
  static const std::string none;
  auto it = texts.find(hash);
  return it == texts.end() ? none : it->second;
}

const std::string& RunProfile::head(std::uint64_t hash) const {
  static const std::string none;
  auto it = heads.find(hash);
  return it == heads.end() ? none : it->second;
}

namespace {

namespace bj = boost::json;

// A read-only view of a value of an event's body as Boost.JSON parsed it (absent: a null
// view), with the reads the builder makes. Boost.JSON parses a journal line about 5 times
// faster than nlohmann's tree, and parsing was most of a profile's cost.
class Val {
 public:
  Val() = default;
  explicit Val(const bj::value* v) : v_(v) {}
  bool absent() const { return !v_; }
  bool is_string() const { return v_ && v_->is_string(); }
  bool is_number() const { return v_ && v_->is_number(); }
  bool is_integer() const { return v_ && (v_->is_int64() || v_->is_uint64()); }
  bool is_bool() const { return v_ && v_->is_bool(); }
  bool is_array() const { return v_ && v_->is_array(); }
  bool is_object() const { return v_ && v_->is_object(); }
  std::string_view text() const {
    const auto& s = v_->get_string();
    return {s.data(), s.size()};
  }
  double number() const { return v_->to_number<double>(); }
  long long integer() const { return v_->is_int64() ? v_->get_int64() : static_cast<long long>(v_->get_uint64()); }
  bool boolean() const { return v_->get_bool(); }
  // A member (absent when this is not an object or has none of that name).
  Val operator[](std::string_view key) const {
    if (!is_object()) return {};
    return Val(v_->get_object().if_contains(key));
  }
  bool contains(std::string_view key) const { return !(*this)[key].absent(); }
  std::size_t size() const { return is_array() ? v_->get_array().size() : is_object() ? v_->get_object().size() : 0; }
  Val at(std::size_t i) const { return Val(&v_->get_array()[i]); }
  // The elements of an array (none for anything else).
  std::vector<Val> elements() const {
    std::vector<Val> out;
    if (is_array())
      for (const auto& e : v_->get_array()) out.emplace_back(&e);
    return out;
  }
  // The members of an object sorted by name: the order nlohmann's tree iterated them in,
  // which identity texts (and baselines) keep.
  std::vector<std::pair<std::string_view, Val>> members() const {
    std::vector<std::pair<std::string_view, Val>> out;
    if (!is_object()) return out;
    for (const auto& kv : v_->get_object()) out.emplace_back(std::string_view(kv.key().data(), kv.key().size()), Val(&kv.value()));
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  }
  // JSON text as nlohmann::json::dump() writes it (numbers, strings, sorted objects).
  std::string dump() const {
    if (!v_ || v_->is_null()) return "null";
    if (v_->is_int64()) return std::to_string(v_->get_int64());
    if (v_->is_uint64()) return std::to_string(v_->get_uint64());
    if (v_->is_bool()) return v_->get_bool() ? "true" : "false";
    return tree(*v_).dump();
  }

 private:
  static json tree(const bj::value& v) {
    switch (v.kind()) {
      case bj::kind::null: return nullptr;
      case bj::kind::bool_: return v.get_bool();
      case bj::kind::int64: return v.get_int64();
      case bj::kind::uint64: return v.get_uint64();
      case bj::kind::double_: return v.get_double();
      case bj::kind::string: return std::string(v.get_string().data(), v.get_string().size());
      case bj::kind::array: {
        json a = json::array();
        for (const auto& e : v.get_array()) a.push_back(tree(e));
        return a;
      }
      case bj::kind::object: {
        json o = json::object();
        for (const auto& kv : v.get_object()) o[std::string(kv.key().data(), kv.key().size())] = tree(kv.value());
        return o;
      }
    }
    return nullptr;
  }
  const bj::value* v_ = nullptr;
};

// The event being profiled: its envelope and its body (valid while its line is handled).
struct Record {
  std::uint64_t seq = 0;
  std::int64_t t_ns = 0;
  EventSource source;
  std::string type;
  Val body;
};

std::string str(Val b, const char* key) {
  Val v = b[key];
  if (v.absent()) return "";
  return v.is_string() ? std::string(v.text()) : v.dump();
}

// A string field without a copy ("" when absent or not a string).
std::string_view view(Val b, const char* key) {
  Val v = b[key];
  return v.is_string() ? v.text() : std::string_view();
}

double num(Val b, const char* key) {
  Val v = b[key];
  return v.is_number() ? v.number() : 0.0;
}

bool flag(Val b, const char* key) {
  Val v = b[key];
  return v.is_bool() && v.boolean();
}

bool plain(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s)
    if (c == '"' || c == '\\' || c == '|' || c == ';' || c == ']' || c == '}' || c == ',' || c == '=' ||
        static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

void quoted(std::string_view s, std::string& out) {
  if (plain(s)) {
    out.append(s);
    return;
  }
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  out += '"';
}

// Fields named like these hold a pid or a port: integers of role fields become their role.
bool pid_field(std::string_view f) { return f == "pid" || f == "from" || f == "supervisor_pid"; }

// How each subject daemonized, from all its subject.daemonized links (from -> pid): a
// double fork is journaled either as two links (launcher -> middle -> daemon, the middle
// process exiting as the main one) or as one (launcher -> daemon, the middle process
// exiting as any other), depending on which exit the supervisor saw first. Both are one
// step of behaviour: "daemonizes" from the launcher into the daemon.
struct Daemonizing {
  std::map<long long, long long> link;      // from -> pid
  std::set<long long> targets;              // every pid some link leads to
  bool leads_from(long long pid) const { return link.count(pid) > 0; }
  // The end of the chain that starts at pid.
  long long end_of(long long pid) const {
    for (int guard = 0; guard < 64; ++guard) {
      auto it = link.find(pid);
      if (it == link.end()) return pid;
      pid = it->second;
    }
    return pid;
  }
  // The start of the chain that pid is on.
  long long start_of(long long pid) const {
    for (int guard = 0; guard < 64; ++guard) {
      auto it = std::find_if(link.begin(), link.end(), [&](const auto& l) { return l.second == pid; });
      if (it == link.end()) return pid;
      pid = it->first;
    }
    return pid;
  }
  // A process made between a chain's launcher and its daemon (pids grow in creation order).
  bool inside_a_chain(long long pid) const {
    for (const auto& [from, to] : link)
      if (!targets.count(from) && from < pid && pid < end_of(from)) return true;
    return false;
  }
};

std::map<std::string, Daemonizing> learn_daemonizing(const journal::EventLog& log) {
  std::map<std::string, Daemonizing> out;
  log.for_each_of({journal::ev::subject_daemonized}, 1, [&](const Event& e) {
    auto integer = [&](const char* key) {
      auto it = e.body.find(key);
      return it != e.body.end() && it->is_number() ? static_cast<long long>(it->get<double>()) : 0LL;
    };
    auto from = integer("from");
    auto pid = integer("pid");
    auto& d = out[e.source.name];
    d.link[from] = pid;
    d.targets.insert(pid);
    return true;
  });
  return out;
}

class Builder {
 public:
  Builder(RunProfile& p, const ProfileOptions& o, Roles roles, Rules rules, std::map<std::string, Daemonizing> daemonizing)
      : p_(p), o_(o), roles_(std::move(roles)), rules_(std::move(rules)), daemonizing_(std::move(daemonizing)) {}

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
    if (last_t_ns > 0) p_.numbers["scenario duration"] = {Unit::ns, double(last_t_ns), last_seq_};
  }

 private:
  using Handler = void (Builder::*)(const Record&);

  static const std::unordered_map<std::string_view, Handler>& handlers() {
    static const std::unordered_map<std::string_view, Handler> table = {
        {"scenario.end", &Builder::scenario_end},
        {"step.begin", &Builder::step_begin},
        {"step.end", &Builder::step_end},
        {"mark", &Builder::step_event},
        {"wait.done", &Builder::step_event},
        {"http.reply", &Builder::step_event},
        {"file.write", &Builder::file_write},
        {"process.spawn", &Builder::subject_event},
        {"process.exit", &Builder::process_exit},
        {"process.signal", &Builder::process_signal},
        {"subject.daemonized", &Builder::subject_event},
        {"output.line", &Builder::line},
        {"log.line", &Builder::line},
        {"command.start", &Builder::step_event},
        {"command.exit", &Builder::command_exit},
        {"subject.ready_check", &Builder::subject_event},
        {"socket.listen", &Builder::subject_event},
        {"subject.ready", &Builder::subject_ready},
        {"fake.listen", &Builder::fake_setup},
        {"statsd.receiver", &Builder::fake_setup},
        {"tcp.server", &Builder::fake_setup},
        {"http.request", &Builder::http_request},
        {"http.response", &Builder::http_response},
        {"http.bad_request", &Builder::http_other},
        {"http.tls_error", &Builder::http_other},
        {"http.upstream", &Builder::http_upstream},
        {"statsd.datagram", &Builder::statsd_datagram},
        {"statsd.event", &Builder::statsd_other},
        {"statsd.service_check", &Builder::statsd_other},
        {"statsd.parse_error", &Builder::statsd_other},
        {"tcp.connect", &Builder::tcp_other},
        {"tcp.message", &Builder::tcp_message},
        {"tcp.framing_error", &Builder::tcp_other},
        {"tcp.close", &Builder::tcp_other},
        {"assert.pass", &Builder::check},
        {"assert.fail", &Builder::check},
        {"assert.skip", &Builder::check},
        {"resource.sample", &Builder::resource_sample},
        // Not compared (docs/comparing-runs.md): scenario.begin (rules and roles come from it),
        // port.allocate (roles), probe.sample (which sample failed is timing), statsd.loss
        // (machine load), resource.sampler (bbx's own cost), failure.snapshot and
        // failure.stacks (diagnostics of a failure: the verdict says it failed).
    };
    return table;
  }

  // ---- normalisation ------------------------------------------------------------------

  void norm(std::string_view text, Aliases& aliases, std::string& out) {
    scratch_.clear();
    roles_.apply(text, scratch_);
    std::size_t start = out.size();
    mask_volatile(scratch_, aliases, out);
    if (rules_.has_redactions()) {
      std::string tail = out.substr(start);
      rules_.redact(tail);
      out.resize(start);
      out += tail;
    }
  }
  std::string norm(std::string_view text, Aliases& aliases) {
    std::string out;
    norm(text, aliases, out);
    return out;
  }
  // norm() then quoted(), through a reused buffer.
  void norm_quoted(std::string_view text, Aliases& aliases, std::string& out) {
    normed_.clear();
    norm(text, aliases, normed_);
    quoted(normed_, out);
  }

  // Every field of body the comparison keeps (event_fields.hpp and the scenario's ignored
  // fields), rendered "k=v | k=v" with strings normalised; `skip` names fields the head holds.
  void render_fields(const Record& e, Val body, std::string_view prefix, Aliases& aliases, std::string& out,
                     std::initializer_list<std::string_view> skip) {
    const auto& ignored = ignored_fields(e);
    const auto& rules = rules_of(e.type);
    for (const auto& [key, value] : body.members()) {
      if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
      std::string path = prefix.empty() ? std::string(key) : std::string(prefix) + "." + std::string(key);
      auto how = Treatment::compared;
      for (const auto& r : rules)
        if (r.field == path) {
          how = r.how;
          break;
        }
      if (how != Treatment::compared && how != Treatment::role) continue;
      if (std::find(ignored.begin(), ignored.end(), path) != ignored.end()) continue;
      // http.upstream's request/response and http.request's from: their own fields.
      if (value.is_object() && prefix.empty() && (e.type == "http.upstream" || (e.type == "http.request" && key == "from"))) {
        out += " | ";
        out += key;
        out += "={";
        std::string inner;
        render_fields(e, value, path, aliases, inner, {});
        out += inner.size() > 3 ? inner.substr(3) : inner;
        out += '}';
        continue;
      }
      out += " | ";
      out += key;
      out += '=';
      render_value(value, path, how, ignored, aliases, out);
    }
  }

  void render_value(Val v, std::string_view path, Treatment how, const std::vector<std::string>& ignored,
                    Aliases& aliases, std::string& out) {
    if (v.is_string()) {
      norm_quoted(v.text(), aliases, out);
    } else if (v.is_integer() && how == Treatment::role) {
      auto field = path.substr(path.rfind('.') == std::string_view::npos ? 0 : path.rfind('.') + 1);
      auto n = v.integer();
      std::optional<std::string> role = pid_field(field) ? roles_.pid_role(n) : roles_.port_role(n);
      out += role ? *role : (pid_field(field) ? "[PID:?]" : std::to_string(n));
    } else if (v.is_array() && path.size() >= 7 && path.substr(path.size() - 7) == "headers") {
      out += '[';
      bool first = true;
      for (Val h : v.elements()) {
        if (!h.is_array() || h.size() != 2 || !h.at(0).is_string() || !h.at(1).is_string()) continue;
        auto name = h.at(0).text();
        bool dropped = false;
        for (const auto& f : ignored)
          if (f.size() == path.size() + 1 + name.size() && f.compare(0, path.size(), path) == 0 &&
              util::iequals(std::string_view(f).substr(path.size() + 1), name))
            dropped = true;
        if (dropped) continue;
        if (!first) out += "; ";
        first = false;
        out += name;
        out += ": ";
        norm_quoted(h.at(1).text(), aliases, out);
      }
      out += ']';
    } else if (v.is_array()) {
      out += '[';
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (k) out += ", ";
        render_value(v.at(k), path, how, ignored, aliases, out);
      }
      out += ']';
    } else if (v.is_object()) {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.members()) {
        if (!first) out += ", ";
        first = false;
        out += key;
        out += '=';
        render_value(value, path, how, ignored, aliases, out);
      }
      out += '}';
    } else {
      out += v.dump();
    }
  }

  const std::vector<std::string>& ignored_fields(const Record& e) {
    if (rules_.ignore().empty()) return no_fields_;
    auto key = e.type + '\0' + e.source.name;
    auto it = ignored_cache_.find(key);
    if (it == ignored_cache_.end()) it = ignored_cache_.emplace(key, rules_.ignored_fields(e.type, e.source.name)).first;
    return it->second;
  }

  // ---- lanes and items ----------------------------------------------------------------

  std::size_t lane(const std::string& name, LaneKind kind, bool lines = false) {
    auto it = lane_index_.find(name);
    if (it != lane_index_.end()) return it->second;
    p_.lanes.push_back(Lane{name, kind, lines, {}});
    lane_aliases_.emplace_back();
    lane_index_.emplace(name, p_.lanes.size() - 1);
    return p_.lanes.size() - 1;
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
    if (!rules_.ignore().empty() && rules_.ignores_event(e.type, e.source.name, identity)) return false;
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
      if (!p_.texts.count(hash)) p_.texts_complete = false;
      return;
    }
    if (p_.texts.try_emplace(hash, text).second && !always) kept_bytes_ += text.size();
  }

  void count(const std::string& key, const Record& e, std::int64_t n = 1) {
    auto [it, fresh] = counts_.try_emplace(key, Count{0, e.seq});
    it->second.n += n;
  }

  std::string occurrence(const std::string& key) {
    int k = ++occurrences_[key];
    return k == 1 ? key : key + " #" + std::to_string(k);
  }

  void outcome(const std::string& key, std::string value, const Record& e, int rank) {
    p_.outcomes[occurrence(key)] = Outcome{std::move(value), e.seq, rank};
  }

  void sample(const std::string& key, Unit unit, double value, const Record& e) {
    auto [it, fresh] = samples_.try_emplace(key);
    if (fresh) it->second.first = Number{unit, 0, e.seq};
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
    render_fields(e, e.body, "", a, identity, skip);
    item(lane_index, e, identity, head);
  }

  // ---- handlers -----------------------------------------------------------------------

  void scenario_end(const Record& e) {
    outcome("verdict", str(e.body, "verdict"), e, 0);
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
    auto role = [&](long long p) { return roles_.pid_role(p).value_or("[PID:?]"); };
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
    if (e.source.name == "unknown") return;  // a readiness check's child reaped by a race (docs)
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
    std::string name = e.source.kind == "subject" ? subject_label(e)
                       : e.source.kind == "probe" ? "check '" + e.source.name + "'"
                                                  : step_label(e);
    if (e.type == "log.line")
      name.append(" log ").append(view(e.body, "path"));
    else
      name.append(" ").append(view(e.body, "stream"));
    std::size_t l = lane(name, LaneKind::sequence, true);
    std::string identity = norm(view(e.body, "line"), lane_aliases_[l]);
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
    std::size_t l = lane(fake_label(e) + " requests", LaneKind::multiset_ordered);
    Aliases& a = aliases_for(l);
    std::string head = str(e.body, "method") + " " + norm(str(e.body, "target"), a);
    if (!item_with_fields(l, e, head, {"method", "target", "path", "query"})) {
      ignored_requests_.insert(e.seq);
      return;
    }
    pending_[e.seq] = head;
  }

  bool item_with_fields(std::size_t l, const Record& e, const std::string& head, std::initializer_list<std::string_view> skip) {
    Aliases& a = p_.lanes[l].kind == LaneKind::sequence ? lane_aliases_[l] : item_aliases_;
    std::string identity = head;
    render_fields(e, e.body, "", a, identity, skip);
    return item(l, e, identity, head);
  }

  void http_response(const Record& e) {
    auto request_seq = std::uint64_t(num(e.body, "request_seq"));
    if (ignored_requests_.erase(request_seq)) return;
    std::string request = "?";
    if (auto it = pending_.find(request_seq); it != pending_.end()) {
      request = it->second;
      pending_.erase(it);
    }
    std::string status = str(e.body, "status");
    std::string route = route_text(e.body);
    std::size_t l = lane(fake_label(e) + " responses", LaneKind::multiset);
    item_aliases_.clear();
    item_with_fields(l, e, request + " -> " + status, {"status"});
    count(fake_label(e) + " responses " + route + " -> " + status, e);
    sample(fake_label(e) + " latency " + route, Unit::ns, num(e.body, "latency_us") * 1000, e);
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
    std::string head = "upstream " + str(req, "method") + " " + norm(str(req, "target"), item_aliases_) + " -> " +
                       str(e.body, "outcome");
    item_with_fields(l, e, head, {});
    count(fake_label(e) + " upstream exchanges " + str(e.body, "outcome"), e);
    sample(fake_label(e) + " upstream latency", Unit::ns, num(e.body, "latency_us") * 1000, e);
  }

  void statsd_datagram(const Record& e) {
    std::size_t l = lane(fake_label(e) + " metrics", LaneKind::multiset);
    Val samples = e.body["samples"];
    if (!samples.is_array()) return;
    for (Val s : samples.elements()) {
      item_aliases_.clear();
      std::string name = norm(str(s, "name"), item_aliases_);
      std::string type = str(s, "type");
      std::vector<std::string> tags;
      for (Val t : s["tags"].elements()) tags.push_back(norm(t.is_string() ? std::string(t.text()) : t.dump(), item_aliases_));
      std::string tag_text = tags.empty() ? "" : "|#" + util::join(tags, ",");
      std::string head = name + "|" + type + tag_text;
      // Timers, histograms and distributions measure: their values are numbers (layer 3),
      // the sample itself is behaviour. Counters, gauges and sets are compared by value.
      bool measured = type == "ms" || type == "h" || type == "d";
      std::string identity = name + ":" + (measured ? "<measured>" : value_text(s)) + "|" + type;
      if (s.contains("rate") && num(s, "rate") != 1.0) identity += "|@" + s["rate"].dump();
      identity += tag_text;
      for (const char* f : {"delta", "container", "timestamp"})
        if (s.contains(f)) identity += std::string(" | ") + f + "=" + s[f].dump();
      if (!item(l, e, identity, head)) continue;
      count(fake_label(e) + " samples of " + head, e);
      if (measured && s["value"].is_number())
        sample(fake_label(e) + " metric " + head + " median", type == "ms" ? Unit::ns : Unit::value,
               num(s, "value") * (type == "ms" ? 1e6 : 1.0), e);
    }
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
    std::string head = "message " + norm(str(e.body, "data"), item_aliases_);
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
  Roles roles_;
  Rules rules_;
  std::string scratch_, normed_;
  std::unordered_map<std::string, std::size_t> lane_index_;
  std::vector<Aliases> lane_aliases_;
  Aliases item_aliases_;
  std::size_t kept_bytes_ = 0;
  std::unordered_map<std::string, int> occurrences_, number_occurrences_;
  std::unordered_map<std::string, std::int64_t> step_started_;
  std::unordered_map<std::uint64_t, std::string> pending_;  // http.request seq -> head, until its response
  std::unordered_set<std::uint64_t> ignored_requests_;
  std::set<std::string> stopping_;  // subjects bbx has begun to stop (process_signal)
  std::unordered_map<std::string, Count> counts_;  // into p_.counts at finish()
  std::unordered_map<std::string, std::pair<Number, std::vector<double>>> samples_;  // into p_.numbers
  struct Peak {
    double rss = 0, fds = 0, threads = 0, cpu_ms = 0;
    std::uint64_t seq = 0;
  };
  std::map<std::string, Peak> peaks_;
  std::map<std::string, Daemonizing> daemonizing_;
  std::unordered_map<std::string, std::vector<std::string>> ignored_cache_;
  const std::vector<std::string> no_fields_;
  std::uint64_t last_seq_ = 0;
};

// Reads one events.jsonl line into rec, its body parsed into storage that `mr` owns (valid
// until mr is released). Returns "" or what is wrong with the line.
std::string parse_record(std::string_view text, bj::parser& parser, bj::monotonic_resource& mr, bj::value& root, Record& rec) {
  static const bj::value no_body = bj::object();
  bj::error_code ec;
  parser.reset(bj::storage_ptr(&mr));
  parser.write(text.data(), text.size(), ec);  // the whole document: a cut one is an error
  if (ec) return "not JSON: " + ec.message();
  root = parser.release();
  if (!root.is_object()) return "not a JSON object";
  const auto& o = root.get_object();
  auto integer = [&](const bj::object& in, std::string_view key, auto& into) {
    const bj::value* v = in.if_contains(key);
    if (!v || !(v->is_int64() || v->is_uint64())) return false;
    into = static_cast<std::remove_reference_t<decltype(into)>>(v->is_int64() ? v->get_int64() : std::int64_t(v->get_uint64()));
    return true;
  };
  auto string = [&](const bj::object& in, std::string_view key, std::string& into) {
    const bj::value* v = in.if_contains(key);
    if (!v || !v->is_string()) return false;
    into.assign(v->get_string().data(), v->get_string().size());
    return true;
  };
  const bj::value* source = o.if_contains("source");
  if (!integer(o, "seq", rec.seq) || !integer(o, "t_ns", rec.t_ns) || !string(o, "type", rec.type) || !source ||
      !source->is_object() || !string(source->get_object(), "kind", rec.source.kind) ||
      !string(source->get_object(), "name", rec.source.name) || !integer(source->get_object(), "pid", rec.source.pid))
    return "not an event: seq, t_ns, source (kind, name, pid) and type are required";
  const bj::value* body = o.if_contains("body");
  rec.body = Val(body && body->is_object() ? body : &no_body);
  return "";
}

RunProfile build(const std::filesystem::path& path, const ProfileOptions& options) {
  journal::StoredJournal log(path);
  RunProfile p;
  p.journal = path;
  Event first;
  try {
    first = log.at(1);
  } catch (const std::out_of_range&) {
    fail_input({path.string()}, "the journal is empty (no scenario.begin)");
  }
  if (first.type != "scenario.begin") fail_input({path.string() + ":1:1"}, "not a journal: it does not start with scenario.begin");
  p.id = first.body.value("id", first.source.name);
  Rules rules = Rules::from_json(first.body.value("compare", json()), path.string() + ":1:1");
  Builder b(p, options, Roles::learn(log), std::move(rules), learn_daemonizing(log));
  std::int64_t last_t = 0;
  // The lines, read once (line_scan) and each parsed into a buffer reused from line to line.
  // A bad line is corruption when lines follow it, else a cut tail (as StoredJournal says).
  bj::parser parser;
  std::vector<unsigned char> buffer(64 << 10);
  Record rec;
  std::optional<journal::TailProblem> bad;
  auto tail = journal::scan_lines(path, {}, [&](std::uint64_t, std::uint64_t line, std::string_view text) {
    if (bad) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    bj::monotonic_resource mr(buffer.data(), buffer.size());
    bj::storage_ptr storage(&mr);
    bj::value root(storage);  // parse_record moves the parsed tree in: the same storage
    if (auto what = parse_record(text, parser, mr, root, rec); !what.empty()) {
      bad = journal::TailProblem{line, what};
      return true;
    }
    b.add(rec);
    last_t = rec.t_ns;
    return true;
  });
  if (bad && tail.line) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
  if (bad) tail = *bad;
  if (tail.line) p.cut_tail = "line " + std::to_string(tail.line) + ": " + tail.what;
  b.finish(last_t);
  return p;
}

}  // namespace

RunProfile build_profile(const std::filesystem::path& journal, const ProfileOptions& options) { return build(journal, options); }

void fetch_texts(RunProfile& profile, const std::unordered_set<std::uint64_t>& want) {
  std::unordered_set<std::uint64_t> missing;
  for (auto h : want)
    if (!profile.texts.count(h)) missing.insert(h);
  if (missing.empty()) return;
  ProfileOptions o;
  o.want = &missing;
  RunProfile again = build(profile.journal, o);
  for (auto& [h, t] : again.texts) profile.texts.emplace(h, std::move(t));
}

void learn_lines(const std::vector<const RunProfile*>& profiles, TemplateMiner& miner) {
  // The distinct texts of all profiles, sorted: the templates depend neither on hash order
  // nor on which run came first.
  std::vector<const std::string*> lines;
  std::unordered_set<std::uint64_t> seen;
  for (const auto* profile : profiles)
    for (const auto& lane : profile->lanes) {
      if (!lane.lines) continue;
      for (const auto& it : lane.items)
        if (seen.insert(it.hash).second) lines.push_back(&profile->text(it.hash));
    }
  std::sort(lines.begin(), lines.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  for (const auto* l : lines) miner.add(*l);
}

void count_lines(RunProfile& profile, TemplateMiner& miner) {
  struct Kind {  // what one distinct text is
    std::uint64_t tmpl = 0;
    std::size_t level = 0;  // in levels, 0: none
  };
  std::unordered_map<std::uint64_t, Kind> of;            // text hash -> its kind
  std::vector<std::string> levels{""};
  for (auto& lane : profile.lanes) {
    if (!lane.lines) continue;
    // Counted by template hash and level here, keyed by text once per lane below.
    std::unordered_map<std::uint64_t, Count> per_template;
    std::vector<Count> per_level(levels.size());
    std::vector<std::uint64_t> order;  // templates in order of first appearance
    for (auto& it : lane.items) {
      auto found = of.find(it.hash);
      if (found == of.end()) {
        const std::string& text = profile.text(it.hash);
        auto id = miner.match(text);
        std::string tmpl = id ? miner.template_of(*id) : text;
        std::string level = level_of(text);
        Kind k{text_hash(tmpl), 0};
        if (!level.empty()) {
          auto at = std::find(levels.begin(), levels.end(), level);
          k.level = std::size_t(at - levels.begin());
          if (at == levels.end()) levels.push_back(level);
        }
        profile.heads.try_emplace(k.tmpl, std::move(tmpl));
        found = of.emplace(it.hash, k).first;
      }
      const Kind& k = found->second;
      it.head = k.tmpl;
      auto [c, fresh] = per_template.try_emplace(k.tmpl, Count{0, it.seq});
      if (fresh) order.push_back(k.tmpl);
      ++c->second.n;
      if (k.level) {
        if (per_level.size() < levels.size()) per_level.resize(levels.size());
        if (!per_level[k.level].n) per_level[k.level].seq = it.seq;
        ++per_level[k.level].n;
      }
    }
    auto add = [&](const std::string& key, const Count& n) {
      auto [c, fresh] = profile.counts.try_emplace(key, n);
      if (!fresh) c->second.n += n.n;
    };
    for (auto t : order) add(lane.name + kLinesLike + "'" + profile.head(t) + "'", per_template[t]);
    for (std::size_t l = 1; l < per_level.size(); ++l)
      if (per_level[l].n) add(lane.name + kLinesAtLevel + levels[l], per_level[l]);
  }
}

}  // namespace bbx::compare
