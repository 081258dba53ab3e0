#include "report/event_text.hpp"

#include <cstdio>
#include <functional>
#include <map>

#include "journal/event_types.hpp"
#include "util/text.hpp"

namespace bbx::report {

namespace {

using nlohmann::json;

std::string str(const json& body, const char* key, const std::string& fallback = "") {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::int64_t num(const json& body, const char* key, std::int64_t fallback = 0) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number()) return fallback;
  return it->get<std::int64_t>();
}

bool flag(const json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

// Control characters as \n, \t, \xHH; everything else as is.
std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string duration_us(std::int64_t us) {
  char buf[32];
  if (us >= 1'000'000) std::snprintf(buf, sizeof buf, "%.2fs", double(us) / 1e6);
  else if (us >= 1000) std::snprintf(buf, sizeof buf, "%.1fms", double(us) / 1e3);
  else std::snprintf(buf, sizeof buf, "%lldus", static_cast<long long>(us));
  return buf;
}

std::string exit_text(const json& b) {
  if (b.contains("describe")) return str(b, "describe");
  if (b.contains("signal")) return "killed by " + str(b, "signal");
  return "exited with code " + str(b, "code", "?");
}

std::string assert_text(const json& b) {
  std::string out = str(b, "what");
  if (b.contains("expected")) out += ": expected " + str(b, "expected");
  if (b.contains("actual")) out += ", got " + str(b, "actual");
  return out;
}

using Summary = std::function<std::string(const Event&)>;

const std::map<std::string, Summary, std::less<>>& summaries() {
  using journal::ev;
  static const std::map<std::string, Summary, std::less<>> table = [] {
    std::map<std::string, Summary, std::less<>> t;
    auto add = [&](const journal::EventType& type, Summary s) { t.emplace(std::string(type.name()), std::move(s)); };
    add(ev::scenario_begin, [](const Event& e) {
      return "scenario begins: " + str(e.body, "id") + " (" + str(e.body, "file") + ", isolation " +
             str(e.body, "isolation") + ")";
    });
    add(ev::scenario_end, [](const Event& e) {
      auto m = str(e.body, "message");
      return "scenario ends: " + str(e.body, "verdict") + (m.empty() ? "" : ": " + m);
    });
    add(ev::step_begin, [](const Event& e) {
      auto index = num(e.body, "index", 0);
      return (index > 0 ? "step " + std::to_string(index) + " begins (" : "step begins (") + str(e.body, "where") + ")";
    });
    add(ev::step_end, [](const Event& e) {
      if (e.body.contains("cut_short")) return "step cut short: " + str(e.body, "cut_short");
      return std::string(flag(e.body, "ok") ? "step ends: ok" : "step ends: failed");
    });
    add(ev::mark, [](const Event& e) { return "mark " + str(e.body, "name"); });
    add(ev::wait_done, [](const Event& e) {
      return std::string(flag(e.body, "ok") ? "waited for " : "gave up waiting for ") + str(e.body, "what");
    });
    add(ev::http_reply, [](const Event& e) {
      if (!flag(e.body, "ok")) return str(e.body, "url") + " -> no response: " + str(e.body, "error");
      return str(e.body, "url") + " -> " + str(e.body, "status") + " (" + std::to_string(str(e.body, "body").size()) +
             " body bytes shown)";
    });
    add(ev::file_write, [](const Event& e) {
      return "wrote " + str(e.body, "path") + " (" + str(e.body, "bytes") + " bytes from " + str(e.body, "source") + ")";
    });
    add(ev::port_allocate, [](const Event& e) {
      return "${ports." + str(e.body, "name") + "} is port " + str(e.body, "port");
    });
    add(ev::process_spawn, [](const Event& e) {
      std::vector<std::string> argv;
      for (const auto& a : e.body.value("argv", json::array())) argv.push_back(a.is_string() ? a.get<std::string>() : a.dump());
      return "started pid " + std::to_string(e.source.pid) + ": " + util::join(argv, " ");
    });
    add(ev::process_exit, [](const Event& e) {
      return std::string(flag(e.body, "main") ? "" : "child ") + "pid " + std::to_string(e.source.pid) + " " + exit_text(e.body) +
             (flag(e.body, "core_dumped") ? " (core dumped)" : "");
    });
    add(ev::process_signal, [](const Event& e) {
      auto reason = str(e.body, "reason");
      return "sent " + str(e.body, "signal") + " to pid " + std::to_string(e.source.pid) +
             (str(e.body, "to") == "main" ? " only" : "") + (reason.empty() ? "" : " (" + reason + ")");
    });
    add(ev::subject_daemonized, [](const Event& e) {
      return "daemonized: pid " + str(e.body, "from") + " exited, pid " + str(e.body, "pid") + " carries on";
    });
    add(ev::output_line, [](const Event& e) { return str(e.body, "line"); });
    add(ev::log_line, [](const Event& e) { return str(e.body, "line"); });
    add(ev::command_start, [](const Event& e) {
      std::vector<std::string> argv;
      for (const auto& a : e.body.value("argv", json::array())) argv.push_back(a.is_string() ? a.get<std::string>() : a.dump());
      return "runs " + util::join(argv, " ");
    });
    add(ev::command_exit, [](const Event& e) {
      if (flag(e.body, "timed_out")) return std::string("command timed out; killed");
      return "command " + exit_text(e.body);
    });
    add(ev::subject_ready_check, [](const Event& e) {
      auto line = str(e.body, "line");
      return "readiness " + str(e.body, "kind") + " check met" + (line.empty() ? "" : ": " + line);
    });
    add(ev::socket_listen, [](const Event& e) {
      return "listening on " + str(e.body, "proto") + " " + str(e.body, "address") + ":" + str(e.body, "port");
    });
    add(ev::subject_ready, [](const Event& e) { return "ready after " + duration_us(num(e.body, "waited_ns") / 1000); });
    add(ev::fake_listen, [](const Event& e) { return "fake listens on " + str(e.body, "url"); });
    add(ev::fake_accept_error, [](const Event& e) {
      return "cannot accept a connection: " + str(e.body, "error") + "; accepting again in " +
             std::to_string(e.body.value("pause_ms", 0)) + "ms";
    });
    add(ev::http_request, [](const Event& e) {
      auto route = num(e.body, "route", -1);
      std::string client = str(e.body, "client");
      if (auto from = e.body.find("from"); from != e.body.end() && from->is_object())
        client = str(*from, "name") + " (pid " + str(*from, "pid") + ", " + client + ")";
      return str(e.body, "method") + " " + str(e.body, "target") + " from " + client +
             (route >= 0 ? " -> route " + std::to_string(route + 1) : " -> no route matched") + " (" +
             str(e.body, "body_bytes", "0") + " body bytes)";
    });
    add(ev::http_response, [](const Event& e) {
      auto fault = str(e.body, "fault");
      auto error = str(e.body, "error");
      std::string what = str(e.body, "status");
      if (!fault.empty() && e.body.contains("sent_bytes")) {  // what the fault really sent
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
    add(ev::http_bad_request, [](const Event& e) {
      return "bad request from " + str(e.body, "client") + ": " + str(e.body, "error") + " -> " + str(e.body, "status");
    });
    add(ev::http_tls_error, [](const Event& e) { return "TLS handshake with " + str(e.body, "client") + " failed: " + str(e.body, "error"); });
    add(ev::http_upstream, [](const Event& e) {
      auto error = str(e.body, "error");
      return "upstream " + str(e.body, "url") + ": " + str(e.body, "outcome") + " in " + duration_us(num(e.body, "latency_us")) +
             (error.empty() ? "" : ": " + error);
    });
    add(ev::statsd_receiver, [](const Event& e) {
      return str(e.body, "format") + " fake receives on " + str(e.body, "transport") + " port " + str(e.body, "port");
    });
    add(ev::statsd_datagram, [](const Event& e) { return str(e.body, "raw"); });
    add(ev::statsd_event, [](const Event& e) { return "event " + str(e.body, "title") + ": " + str(e.body, "text"); });
    add(ev::statsd_service_check, [](const Event& e) {
      return "service check " + str(e.body, "name") + " status " + str(e.body, "status");
    });
    add(ev::statsd_parse_error, [](const Event& e) {
      return "cannot parse " + str(e.body, "line") + ": " + str(e.body, "reason");
    });
    add(ev::statsd_loss, [](const Event& e) {
      return "the kernel dropped " + str(e.body, "dropped") + " datagram(s) (" + str(e.body, "total") + " in all)";
    });
    add(ev::tcp_server, [](const Event& e) { return "tcp fake listens on " + str(e.body, "host") + ":" + str(e.body, "port"); });
    add(ev::tcp_connect, [](const Event& e) { return "connection " + str(e.body, "conn") + " from " + str(e.body, "client"); });
    add(ev::tcp_message, [](const Event& e) {
      auto reply = str(e.body, "reply_data");
      return str(e.body, "data") + (reply.empty() ? "" : " -> " + reply);
    });
    add(ev::tcp_framing_error, [](const Event& e) { return "framing error: " + str(e.body, "error"); });
    add(ev::tcp_close, [](const Event& e) {
      return "connection " + str(e.body, "conn") + " closed by " + str(e.body, "by") + " after " + str(e.body, "messages") +
             " message(s)";
    });
    add(ev::assert_pass, [](const Event& e) { return "passed: " + str(e.body, "what"); });
    add(ev::assert_fail, [](const Event& e) { return "FAILED: " + assert_text(e.body); });
    add(ev::assert_skip, [](const Event& e) { return "not judged: " + str(e.body, "what") + " (" + str(e.body, "reason") + ")"; });
    add(ev::probe_sample, [](const Event& e) {
      return std::string(flag(e.body, "held") ? "held: " : "did not hold: ") + str(e.body, "what");
    });
    add(ev::resource_sample, [](const Event& e) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "rss %.1f MiB, cpu %lld ms, %lld fds, %lld threads, %lld processes",
                    double(num(e.body, "rss_bytes")) / (1 << 20), static_cast<long long>(num(e.body, "cpu_ms")),
                    static_cast<long long>(num(e.body, "fds")), static_cast<long long>(num(e.body, "threads")),
                    static_cast<long long>(num(e.body, "processes")));
      return std::string(buf);
    });
    add(ev::resource_sampler, [](const Event& e) {
      return "sampling cost " + str(e.body, "cpu_us") + "us of CPU for " + str(e.body, "samples") + " samples";
    });
    add(ev::failure_snapshot, [](const Event& e) {
      return "snapshot of " + str(e.body, "processes") + " processes in " + str(e.body, "file");
    });
    add(ev::failure_stacks, [](const Event& e) {
      return "stacks of " + str(e.body, "threads") + " threads in " + str(e.body, "processes") + " processes in " +
             str(e.body, "file") + " (" + str(e.body, "reason") + ")";
    });
    return t;
  }();
  return table;
}

std::string capped(std::string text, std::size_t max_chars) {
  if (max_chars == 0 || text.size() <= max_chars) return text;
  // Cut at a UTF-8 character boundary.
  std::size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

const char* colour_of(const Event& e) {
  if (journal::ev::assert_fail.is(e.type)) return "\x1b[1;31m";
  if (e.source.kind == "subject") return e.body.value("stream", std::string()) == "stderr" ? "\x1b[33m" : "\x1b[36m";
  if (e.source.kind == "fake") return "\x1b[35m";
  if (e.source.kind == "step") return "\x1b[34m";
  if (e.source.kind == "assert") return "\x1b[32m";
  return "\x1b[2m";
}

}  // namespace

std::string source_label(const Event& e) {
  const auto& k = e.source.kind;
  if (k == "subject") {
    if (journal::ev::output_line.is(e.type)) return e.source.name + ":" + e.body.value("stream", std::string("out"));
    if (journal::ev::log_line.is(e.type)) return e.source.name + ":" + e.body.value("path", std::string("log"));
    return e.source.name;
  }
  if (k == "fake") return "fake:" + e.source.name;
  if (k == "step") {
    if (journal::ev::output_line.is(e.type)) return "step:" + e.source.name + ":" + e.body.value("stream", std::string());
    return "step:" + e.source.name;
  }
  if (k == "probe") return "probe:" + e.source.name;
  if (k == "runner") return "runner:" + e.source.name;
  return k;  // scenario, assert
}

bool has_own_summary(const std::string& type) { return summaries().count(type) > 0; }

std::string event_summary(const Event& e, std::size_t max_chars) {
  std::string text;
  const auto& table = summaries();
  if (auto it = table.find(e.type); it != table.end()) {
    try {
      text = it->second(e);
    } catch (const json::exception&) {  // a body of unexpected shape (an older or newer bbx)
      text.clear();
    }
  }
  if (text.empty()) text = e.type + " " + (e.body.is_null() ? "{}" : e.body.dump(-1, ' ', false, json::error_handler_t::replace));
  return capped(escaped(text), max_chars);
}

std::string event_line(const Event& e, const EventLineStyle& style) {
  char time[32];
  double s = double(e.t_ns - style.origin_ns) / 1e9;
  std::snprintf(time, sizeof time, "%+.3fs", s);
  std::string line = std::string(time) + "  #" + std::to_string(e.seq) + "  ";
  std::string label = "[" + source_label(e) + "]";
  if (style.color) line += std::string(colour_of(e)) + label + "\x1b[0m";
  else line += label;
  return line + "  " + event_summary(e, style.max_chars);
}

}  // namespace bbx::report
