#include "report/samples_csv.hpp"

#include <fstream>
#include <sstream>

#include "bbx/error.hpp"

namespace bbx::report {

namespace {

// Subject names are scenario keys and comm is the kernel's; quote one only if CSV needs it.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// A number field, or an empty cell when the body lacks it (an older journal: unknown, not 0).
void number(std::ostream& out, const nlohmann::json& body, const char* key) {
  out << ',';
  if (auto it = body.find(key); it != body.end() && it->is_number()) out << it->dump();
}

void write(const std::filesystem::path& path, const char* header, const std::string& rows) {
  std::ofstream out(path);
  out << header << rows;
  if (!out) fail_harness("cannot write " + path.string());
}

}  // namespace

std::size_t write_samples_csv(const journal::EventLog& journal, const std::filesystem::path& path) {
  std::ostringstream rows;
  std::size_t n = 0;
  journal.for_each_of({journal::ev::resource_sample}, 1, [&](const Event& e) {
    const auto& b = e.body;
    rows << e.seq << ',' << e.t_ns / 1'000'000 << ',' << csv_field(e.source.name) << ',' << e.source.pid;
    for (const char* key : {"rss_bytes", "cpu_ms", "fds", "threads", "processes", "rss_peak_bytes", "pss_bytes",
                            "cpu_user_ms", "cpu_system_ms", "read_bytes", "write_bytes", "ctx_voluntary",
                            "ctx_involuntary"})
      number(rows, b, key);
    rows << ',' << b.value("accounting", std::string()) << '\n';
    ++n;
    return true;
  });
  if (n == 0) return 0;
  write(path,
        "seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes,rss_peak_bytes,pss_bytes,cpu_user_ms,"
        "cpu_system_ms,read_bytes,write_bytes,ctx_voluntary,ctx_involuntary,accounting\n",
        rows.str());
  return n;
}

std::size_t write_samples_procs_csv(const journal::EventLog& journal, const std::filesystem::path& path) {
  std::ostringstream rows;
  std::size_t n = 0;
  journal.for_each_of({journal::ev::resource_sample}, 1, [&](const Event& e) {
    auto procs = e.body.find("procs");
    if (procs == e.body.end() || !procs->is_array()) return true;
    for (const auto& p : *procs) {
      rows << e.seq << ',' << e.t_ns / 1'000'000 << ',' << csv_field(e.source.name);
      number(rows, p, "pid");
      number(rows, p, "ppid");
      rows << ',' << csv_field(p.value("comm", std::string()));
      for (const char* key : {"cpu_ms", "rss_bytes", "threads", "read_bytes", "write_bytes"}) number(rows, p, key);
      rows << '\n';
      ++n;
    }
    return true;
  });
  if (n == 0) return 0;
  write(path, "seq,t_ms,subject,pid,ppid,comm,cpu_ms,rss_bytes,threads,read_bytes,write_bytes\n", rows.str());
  return n;
}

}  // namespace bbx::report
