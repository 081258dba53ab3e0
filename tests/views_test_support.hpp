// Helpers for the views' unit tests: a small journal written line by line with chosen
// times (journal::event_to_json_line, the writer's own format), read back as a
// StoredJournal. The sample scenario: two subjects calling a fake, bbx's step calling it,
// overlapping requests, a TCP connection, a mark, a failed assertion citing evidence.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "bbx/event.hpp"
#include "journal/event_json.hpp"

namespace bbx::testing {

class JournalFile {
 public:
  explicit JournalFile(const std::string& name) {
    dir_ = std::filesystem::temp_directory_path() / "bbx-unit" / name;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    out_.open(path());
  }
  std::filesystem::path path() const { return dir_ / "events.jsonl"; }
  const std::filesystem::path& dir() const { return dir_; }

  // Appends an event at t_ms milliseconds; returns its seq.
  std::uint64_t add(double t_ms, EventSource source, const std::string& type, nlohmann::json body = nlohmann::json::object()) {
    Event e;
    e.seq = ++seq_;
    e.t_ns = static_cast<std::int64_t>(t_ms * 1e6);
    e.wall = "2026-12-06T00:00:00.000000Z";
    e.source = std::move(source);
    e.type = type;
    e.body = std::move(body);
    out_ << journal::event_to_json_line(e);
    out_.flush();
    return e.seq;
  }
  void close() { out_.close(); }

 private:
  std::filesystem::path dir_;
  std::ofstream out_;
  std::uint64_t seq_ = 0;
};

// The sample scenario's journal (27 events, seq N at N-1 ms); returns the file.
inline std::filesystem::path sample_journal(JournalFile& j) {
  using nlohmann::json;
  j.add(0, {"scenario", "two callers", 0}, "scenario.begin", {{"id", "two callers"}, {"name", "two callers"}, {"file", "t.yaml"}, {"isolation", "none"}});
  j.add(1, {"fake", "api", 0}, "fake.listen", {{"port", 9001}, {"url", "http://127.0.0.1:9001"}});
  j.add(2, {"subject", "front", 11}, "process.spawn", {{"argv", {"bbx-fixture"}}, {"cwd", "/s"}, {"executable", "/f"}, {"supervisor_pid", 10}});
  j.add(3, {"subject", "back", 13}, "process.spawn", {{"argv", {"bbx-fixture"}}, {"cwd", "/s"}, {"executable", "/f"}, {"supervisor_pid", 12}});
  j.add(4, {"subject", "front", 11}, "output.line", {{"stream", "stderr"}, {"line", "listening on 127.0.0.1:8080 </script> & done"}});
  j.add(5, {"subject", "back", 13}, "output.line", {{"stream", "stdout"}, {"line", "ready"}});
  j.add(6, {"step", "http GET /a", 0}, "step.begin", {{"where", "t.yaml:10:5"}});
  auto r1 = j.add(7, {"fake", "api", 0}, "http.request",
                  {{"conn", 1}, {"client", "127.0.0.1:5001"}, {"method", "GET"}, {"target", "/a"}, {"path", "/a"}, {"query", ""},
                   {"route", 0}, {"body_bytes", 0}, {"from", {{"kind", "subject"}, {"name", "front"}, {"pid", 11}}}});
  auto r2 = j.add(8, {"fake", "api", 0}, "http.request",
                  {{"conn", 2}, {"client", "127.0.0.1:5002"}, {"method", "GET"}, {"target", "/b"}, {"path", "/b"}, {"query", ""},
                   {"route", 0}, {"body_bytes", 0}, {"from", {{"kind", "subject"}, {"name", "back"}, {"pid", 13}}}});
  j.add(9, {"fake", "api", 0}, "http.response", {{"conn", 1}, {"request_seq", r1}, {"status", 200}, {"latency_us", 2000}, {"fault", ""}, {"error", ""}});
  j.add(10, {"fake", "api", 0}, "http.response", {{"conn", 2}, {"request_seq", r2}, {"status", 200}, {"latency_us", 2000}, {"fault", ""}, {"error", ""}});
  j.add(11, {"step", "http GET /a", 0}, "http.reply", {{"url", "http://127.0.0.1:8080/a"}, {"ok", true}, {"status", 200}, {"error", ""}, {"body", "ok"}});
  j.add(12, {"step", "http GET /a", 0}, "step.end", {{"ok", true}});
  j.add(13, {"step", "mark after first", 0}, "mark", {{"name", "after first"}});
  j.add(14, {"step", "http GET /c", 0}, "step.begin", {{"where", "t.yaml:12:5"}});
  auto r3 = j.add(15, {"fake", "api", 0}, "http.request",
                  {{"conn", 3}, {"client", "127.0.0.1:5003"}, {"method", "GET"}, {"target", "/c"}, {"path", "/c"}, {"query", ""},
                   {"route", -1}, {"body_bytes", 0}, {"from", {{"kind", "bbx"}, {"name", "bbx"}, {"pid", 1}}}});
  j.add(16, {"fake", "api", 0}, "http.response", {{"conn", 3}, {"request_seq", r3}, {"status", 404}, {"latency_us", 100}, {"fault", ""}, {"error", ""}});
  j.add(17, {"step", "http GET /c", 0}, "step.end", {{"ok", true}});
  j.add(18, {"fake", "tcp", 0}, "tcp.connect", {{"conn", 1}, {"client", "127.0.0.1:6000"}});
  j.add(19, {"subject", "front", 11}, "resource.sample", {{"rss_bytes", 3 << 20}, {"cpu_ms", 5}, {"fds", 7}, {"threads", 2}, {"processes", 1}});
  j.add(20, {"subject", "front", 11}, "log.line", {{"path", "app.log"}, {"line", "handled /a"}});
  j.add(21, {"fake", "tcp", 0}, "tcp.close", {{"conn", 1}, {"client", "127.0.0.1:6000"}, {"by", "client"}, {"messages", 0}});
  j.add(22, {"assert", "request at fake 'api': any method /never", 0}, "assert.fail",
        {{"what", "request at fake 'api': any method /never"}, {"expected", "at least 1 matching"}, {"actual", "0 matching"},
         {"where", "t.yaml:20:5"}, {"evidence", {r1, r2}}});
  j.add(23, {"assert", "request at fake 'api': GET /a", 0}, "assert.pass",
        {{"what", "request at fake 'api': GET /a"}, {"expected", "1"}, {"actual", "1"}, {"where", "t.yaml:21:5"}, {"evidence", {r1}}});
  j.add(24, {"subject", "front", 11}, "process.exit", {{"code", 0}, {"main", true}, {"describe", "exited with code 0"}});
  j.add(25, {"subject", "back", 13}, "process.exit", {{"code", 0}, {"main", true}, {"describe", "exited with code 0"}});
  j.add(26, {"scenario", "two callers", 0}, "scenario.end", {{"verdict", "failed"}, {"message", "request at fake 'api': any method /never: expected at least 1 matching, got 0 matching"}});
  j.close();
  return j.path();
}

}  // namespace bbx::testing
