#include "report/event_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include "journal/event_types.hpp"
#include "util/text.hpp"

namespace bbx::report {

namespace {

using nlohmann::json;

using journal::BodyRef;
using journal::EventRef;

std::string str(const BodyRef& body, const char* key, const std::string& fallback = "") { return body.str(key, fallback); }

std::int64_t num(const BodyRef& body, const char* key, std::int64_t fallback = 0) { return body.num(key, fallback); }

bool flag(const BodyRef& body, const char* key) { return body.flag(key); }

std::string duration_us(std::int64_t us) {
  char buf[32];
  if (us >= 1'000'000) std::snprintf(buf, sizeof buf, "%.2fs", double(us) / 1e6);
  else if (us >= 1000) std::snprintf(buf, sizeof buf, "%.1fms", double(us) / 1e3);
  else std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(us));
  return buf;
}

std::string exit_text(const BodyRef& b) {
  if (b.has("describe")) return str(b, "describe");
  if (b.has("signal")) return "killed by " + str(b, "signal");
  return "exited with code " + str(b, "code", "?");
}

std::string assert_text(const BodyRef& b) {
  std::string out = str(b, "what");
  if (b.has("expected")) out += ": expected " + str(b, "expected");
  if (b.has("actual")) out += ", got " + str(b, "actual");
  return out;
}

// A metric payload: its one line, or its first line and how much more (a 64 KB datagram of
// thousands of lines must not fill a timeline row with escaped newlines).
std::string datagram_text(const std::string& raw) {
  auto end = raw.find('\n');
  if (end == std::string::npos || end + 1 == raw.size()) return raw.substr(0, end);
  std::size_t more = 0;
  for (std::size_t at = end + 1; at < raw.size();) {
    auto nl = raw.find('\n', at);
    if (nl != at) ++more;  // empty lines are not counted
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return raw.substr(0, end) + " (+" + std::to_string(more) + (more == 1 ? " line, " : " lines, ") +
         std::to_string(raw.size()) + " bytes)";
}

using Summary = std::function<std::string(const EventRef&)>;

const std::map<std::string, Summary, std::less<>>& summaries() {
  using journal::ev;
  static const std::map<std::string, Summary, std::less<>> table = [] {
    std::map<std::string, Summary, std::less<>> t;
    auto add = [&](const journal::EventType& type, Summary s) { t.emplace(std::string(type.name()), std::move(s)); };
    add(ev::scenario_begin, [](const EventRef& e) {
      return "scenario begins: " + str(e.body, "id") + " (" + str(e.body, "file") + ", isolation " +
             str(e.body, "isolation") + ")";
    });
    add(ev::scenario_end, [](const EventRef& e) {
      auto m = str(e.body, "message");
      return "scenario ends: " + str(e.body, "verdict") + (m.empty() ? "" : ": " + m);
    });
    add(ev::step_begin, [](const EventRef& e) {
      auto index = num(e.body, "index", 0);
      return (index > 0 ? "step " + std::to_string(index) + " begins (" : "step begins (") + str(e.body, "where") + ")";
    });
    add(ev::step_end, [](const EventRef& e) {
      if (e.body.has("cut_short")) return "step cut short: " + str(e.body, "cut_short");
      return std::string(flag(e.body, "ok") ? "step ends: ok" : "step ends: failed");
    });
    add(ev::mark, [](const EventRef& e) { return "mark " + str(e.body, "name"); });
    add(ev::wait_done, [](const EventRef& e) {
      return std::string(flag(e.body, "ok") ? "waited for " : "gave up waiting for ") + str(e.body, "what");
    });
    add(ev::http_reply, [](const EventRef& e) {
      if (!flag(e.body, "ok")) return str(e.body, "url") + " -> no response: " + str(e.body, "error");
      return str(e.body, "url") + " -> " + str(e.body, "status") + " (" + std::to_string(str(e.body, "body").size()) +
             " body bytes shown)";
    });
    add(ev::file_write, [](const EventRef& e) {
      return "wrote " + str(e.body, "path") + " (" + str(e.body, "bytes") + " bytes from " + str(e.body, "source") + ")";
    });
    add(ev::port_allocate, [](const EventRef& e) {
      return "${ports." + str(e.body, "name") + "} is port " + str(e.body, "port");
    });
    add(ev::process_spawn, [](const EventRef& e) {
      return "started pid " + std::to_string(e.source.pid) + ": " + util::join(e.body.items("argv"), " ");
    });
    add(ev::process_exit, [](const EventRef& e) {
      return std::string(flag(e.body, "main") ? "" : "child ") + "pid " + std::to_string(e.source.pid) + " " + exit_text(e.body) +
             (flag(e.body, "core_dumped") ? " (core dumped)" : "");
    });
    add(ev::process_signal, [](const EventRef& e) {
      auto reason = str(e.body, "reason");
      return "sent " + str(e.body, "signal") + " to pid " + std::to_string(e.source.pid) +
             (str(e.body, "to") == "main" ? " only" : "") + (reason.empty() ? "" : " (" + reason + ")");
    });
    add(ev::subject_daemonized, [](const EventRef& e) {
      return "daemonized: pid " + str(e.body, "from") + " exited, pid " + str(e.body, "pid") + " carries on";
    });
    add(ev::output_line, [](const EventRef& e) { return str(e.body, "line"); });
    add(ev::log_line, [](const EventRef& e) { return str(e.body, "line"); });
    add(ev::command_start, [](const EventRef& e) {
      return "runs " + util::join(e.body.items("argv"), " ");
    });
    add(ev::command_exit, [](const EventRef& e) {
      if (flag(e.body, "timed_out")) return std::string("command timed out; killed");
      return "command " + exit_text(e.body);
    });
    add(ev::subject_ready_check, [](const EventRef& e) {
      auto line = str(e.body, "line");
      return "readiness " + str(e.body, "kind") + " check met" + (line.empty() ? "" : ": " + line);
    });
    add(ev::socket_listen, [](const EventRef& e) {
      return "listening on " + str(e.body, "proto") + " " + str(e.body, "address") + ":" + str(e.body, "port");
    });
    add(ev::subject_ready, [](const EventRef& e) { return "ready after " + duration_us(num(e.body, "waited_ns") / 1000); });
    add(ev::fake_listen, [](const EventRef& e) { return "fake listens on " + str(e.body, "url"); });
    add(ev::fake_accept_error, [](const EventRef& e) {
      return "cannot accept a connection: " + str(e.body, "error") + "; accepting again in " +
             std::to_string(num(e.body, "pause_ms")) + "ms";
    });
    add(ev::http_request, [](const EventRef& e) {
      auto route = num(e.body, "route", -1);
      std::string client = str(e.body, "client");
      if (auto from = e.body.object("from"))
        client = str(*from, "name") + " (pid " + str(*from, "pid") + ", " + client + ")";
      return str(e.body, "method") + " " + str(e.body, "target") + " from " + client +
             (route >= 0 ? " -> route " + std::to_string(route + 1) : " -> no route matched") + " (" +
             str(e.body, "body_bytes", "0") + " body bytes)";
    });
    add(ev::http_response, [](const EventRef& e) {
      auto fault = str(e.body, "fault");
      auto error = str(e.body, "error");
      std::string what = str(e.body, "status");
      if (!fault.empty() && e.body.has("sent_bytes")) {  // what the fault really sent
        auto status = num(e.body, "status");
        auto planned = num(e.body, "planned_body_bytes");
        what = "fault " + fault + ": " +
               (num(e.body, "sent_bytes") == 0 ? std::string("nothing sent")
                : status == 0                  ? str(e.body, "sent_bytes") + " bytes sent, no status line"
                                               : "status " + std::to_string(status) + " and " + str(e.body, "body_bytes") +
                                                     " of " + std::to_string(planned) + " body bytes sent") +
               " (planned " + str(e.body, "planned_status") + ")";
        fault.clear();
      }
      return "answered #" + str(e.body, "request_seq") + ": " + what + " in " + duration_us(num(e.body, "latency_us")) +
             (fault.empty() ? "" : ", fault " + fault) + (error.empty() ? "" : ", error: " + error);
    });
    add(ev::http_bad_request, [](const EventRef& e) {
      return "bad request from " + str(e.body, "client") + ": " + str(e.body, "error") + " -> " + str(e.body, "status");
    });
    add(ev::http_tls_error, [](const EventRef& e) { return "TLS handshake with " + str(e.body, "client") + " failed: " + str(e.body, "error"); });
    add(ev::http_upstream, [](const EventRef& e) {
      auto error = str(e.body, "error");
      return "upstream " + str(e.body, "url") + ": " + str(e.body, "outcome") + " in " + duration_us(num(e.body, "latency_us")) +
             (error.empty() ? "" : ": " + error);
    });
    add(ev::statsd_receiver, [](const EventRef& e) {
      return str(e.body, "format") + " fake receives on " + str(e.body, "transport") + " port " + str(e.body, "port");
    });
    add(ev::statsd_datagram, [](const EventRef& e) { return datagram_text(str(e.body, "raw")); });
    add(ev::statsd_event, [](const EventRef& e) { return "event " + str(e.body, "title") + ": " + str(e.body, "text"); });
    add(ev::statsd_service_check, [](const EventRef& e) {
      return "service check " + str(e.body, "name") + " status " + str(e.body, "status");
    });
    add(ev::statsd_parse_error, [](const EventRef& e) {
      return "cannot parse " + str(e.body, "line") + ": " + str(e.body, "reason");
    });
    add(ev::statsd_loss, [](const EventRef& e) {
      return "the kernel dropped " + str(e.body, "dropped") + " datagram(s) (" + str(e.body, "total") + " in all)";
    });
    add(ev::tcp_server, [](const EventRef& e) { return "tcp fake listens on " + str(e.body, "host") + ":" + str(e.body, "port"); });
    add(ev::tcp_connect, [](const EventRef& e) { return "connection " + str(e.body, "conn") + " from " + str(e.body, "client"); });
    add(ev::tcp_message, [](const EventRef& e) {
      auto reply = str(e.body, "reply_data");
      return str(e.body, "data") + (reply.empty() ? "" : " -> " + reply);
    });
    add(ev::tcp_framing_error, [](const EventRef& e) { return "framing error: " + str(e.body, "error"); });
    add(ev::tcp_close, [](const EventRef& e) {
      return "connection " + str(e.body, "conn") + " closed by " + str(e.body, "by") + " after " + str(e.body, "messages") +
             " message(s)";
    });
    add(ev::assert_pass, [](const EventRef& e) { return "passed: " + str(e.body, "what"); });
    add(ev::assert_fail, [](const EventRef& e) { return "FAILED: " + assert_text(e.body); });
    add(ev::assert_skip, [](const EventRef& e) { return "not judged: " + str(e.body, "what") + " (" + str(e.body, "reason") + ")"; });
    add(ev::probe_sample, [](const EventRef& e) {
      return std::string(flag(e.body, "held") ? "held: " : "did not hold: ") + str(e.body, "what");
    });
    add(ev::resource_sample, [](const EventRef& e) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "rss %.1f MiB, cpu %lld ms, %lld fds, %lld threads, %lld processes",
                    double(num(e.body, "rss_bytes")) / (1 << 20), static_cast<long long>(num(e.body, "cpu_ms")),
                    static_cast<long long>(num(e.body, "fds")), static_cast<long long>(num(e.body, "threads")),
                    static_cast<long long>(num(e.body, "processes")));
      return std::string(buf);
    });
    add(ev::resource_sampler, [](const EventRef& e) {
      return "sampling cost " + str(e.body, "cpu_us") + "us of CPU for " + str(e.body, "samples") + " samples";
    });
    add(ev::failure_snapshot, [](const EventRef& e) {
      return "snapshot of " + str(e.body, "processes") + " processes in " + str(e.body, "file");
    });
    add(ev::failure_stacks, [](const EventRef& e) {
      return "stacks of " + str(e.body, "threads") + " threads in " + str(e.body, "processes") + " processes in " +
             str(e.body, "file") + " (" + str(e.body, "reason") + ")";
    });
    return t;
  }();
  return table;
}

// text with control characters escaped (as escaped()) and capped at max_chars bytes (0: no
// limit; cut at a UTF-8 character boundary, with "…"), appended to out.
// The first control character (below 0x20, or 0x7f) of text at or after i; text.size()
// when none. Eight bytes at a time: a word with none is passed over whole.
std::size_t next_control(std::string_view text, std::size_t i) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  const std::size_t n = text.size();
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, 8);
    std::uint64_t del = w ^ (kOnes * 0x7f);
    // A byte below 0x20 (bytes from 0x80 on never count), or a byte equal to 0x7f.
    if (((w - kOnes * 0x20) & ~w & kHighs) | ((del - kOnes) & ~del & kHighs)) break;
  }
  for (; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) return i;
  }
  return n;
}

void append_shown(std::string& out, std::string_view text, std::size_t max_chars) {
  const std::size_t from = out.size();
  std::size_t run = 0;  // the start of the run of characters shown as they are
  for (std::size_t i = next_control(text, 0);; i = next_control(text, run)) {
    out.append(text.substr(run, i - run));
    run = i + 1;
    if (i == text.size()) break;
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  if (max_chars == 0 || out.size() - from <= max_chars) return;
  std::size_t cut = from + max_chars;
  while (cut > from && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  out.resize(cut);
  out += "…";
}

const char* colour_of(const EventRef& e) {
  if (journal::ev::assert_fail.is(e.type)) return "\x1b[1;31m";
  if (e.source.kind == "subject") return e.body.str("stream") == "stderr" ? "\x1b[33m" : "\x1b[36m";
  if (e.source.kind == "fake") return "\x1b[35m";
  if (e.source.kind == "step") return "\x1b[34m";
  if (e.source.kind == "assert") return "\x1b[32m";
  return "\x1b[2m";
}

void append_source_label(std::string& out, const EventRef& e) {
  const auto& k = e.source.kind;
  auto add = [&](std::string_view a, std::string_view b = {}, std::string_view c = {}) {
    out.append(a);
    out.append(b);
    out.append(c);
  };
  if (k == "subject") {
    if (journal::ev::output_line.is(e.type)) return add(e.source.name, ":", e.body.str("stream", "out"));
    if (journal::ev::log_line.is(e.type)) return add(e.source.name, ":", e.body.str("path", "log"));
    return add(e.source.name);
  }
  if (k == "fake") return add("fake:", e.source.name);
  if (k == "step") {
    if (journal::ev::output_line.is(e.type)) return add("step:", e.source.name, ":" + e.body.str("stream"));
    return add("step:", e.source.name);
  }
  if (k == "probe") return add("probe:", e.source.name);
  if (k == "runner") return add("runner:", e.source.name);
  add(k);  // scenario, assert
}

void append_summary(std::string& out, const EventRef& e, std::size_t max_chars) {
  std::string text;
  const auto& table = summaries();
  if (auto it = table.find(e.type); it != table.end()) {
    try {
      text = it->second(e);
    } catch (const json::exception&) {  // a body of unexpected shape (an older or newer bbx)
      text.clear();
    }
  }
  if (text.empty()) text = std::string(e.type) + " " + e.body.json();
  append_shown(out, text, max_chars);
}

}  // namespace

std::string source_label(const EventRef& e) {
  std::string out;
  append_source_label(out, e);
  return out;
}

bool has_own_summary(const std::string& type) { return summaries().count(type) > 0; }

std::string event_summary(const EventRef& e, std::size_t max_chars) {
  std::string out;
  append_summary(out, e, max_chars);
  return out;
}

void append_event_line(std::string& out, const EventRef& e, const EventLineStyle& style) {
  // "%+.3fs  #%llu  ": to_chars rounds as printf does, without its cost.
  char head[64];
  char* p = head;
  double s = double(e.t_ns - style.origin_ns) / 1e9;
  if (!std::signbit(s)) *p++ = '+';
  p = std::to_chars(p, head + 40, s, std::chars_format::fixed, 3).ptr;
  *p++ = 's';
  for (char c : {' ', ' ', '#'}) *p++ = c;
  p = std::to_chars(p, head + sizeof head - 2, e.seq).ptr;
  *p++ = ' ';
  *p++ = ' ';
  out.append(head, static_cast<std::size_t>(p - head));
  if (style.color) out += colour_of(e);
  out += '[';
  append_source_label(out, e);
  out += ']';
  if (style.color) out += "\x1b[0m";
  out += "  ";
  append_summary(out, e, style.max_chars);
}

std::string event_line(const EventRef& e, const EventLineStyle& style) {
  std::string line;
  append_event_line(line, e, style);
  return line;
}

}  // namespace bbx::report
