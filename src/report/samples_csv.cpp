#include "report/samples_csv.hpp"

#include <fstream>
#include <sstream>

#include "bbx/error.hpp"

namespace bbx::report {

namespace {

// Subject names are scenario keys; quote one only if CSV needs it.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::size_t write_samples_csv(const journal::EventLog& journal, const std::filesystem::path& path) {
  std::ostringstream rows;
  std::size_t n = 0;
  journal.for_each_of({journal::ev::resource_sample}, 1, [&](const Event& e) {
    const auto& b = e.body;
    rows << e.seq << ',' << e.t_ns / 1'000'000 << ',' << csv_field(e.source.name) << ',' << e.source.pid << ','
         << b.value("rss_bytes", 0ull) << ',' << b.value("cpu_ms", 0ull) << ',' << b.value("fds", 0ll) << ','
         << b.value("threads", 0ll) << ',' << b.value("processes", 0ll) << '\n';
    ++n;
    return true;
  });
  if (n == 0) return 0;
  std::ofstream out(path);
  out << "seq,t_ms,subject,pid,rss_bytes,cpu_ms,fds,threads,processes\n" << rows.str();
  if (!out) fail_harness("cannot write " + path.string());
  return n;
}

}  // namespace bbx::report
