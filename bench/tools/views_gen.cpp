// bbx-bench-views: one view of a stored journal, timed, for bench/timeline.sh (a CMake
// target outside `all`, linked against bbx_core and jemalloc like bbx).
//   bbx-bench-views trace JOURNAL OUT_DIR    writes OUT_DIR/trace.json (and its parts)
//   bbx-bench-views html JOURNAL OUT_DIR     writes OUT_DIR/timeline.html (and its pages)
// Prints `seconds BYTES FILES CPU_SECONDS` (the files' total size and count; the view's user +
// system CPU time, which the machine's other load does not change): one view per process,
// so its peak RSS is that view's.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "journal/stored_journal.hpp"
#include "views/timeline_html.hpp"
#include "views/trace_json.hpp"

namespace {
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: bbx-bench-views trace|html JOURNAL OUT_DIR\n");
    return 2;
  }
  std::string mode = argv[1];
  bbx::journal::StoredJournal j(argv[2]);
  std::filesystem::path out = argv[3];
  auto start = std::chrono::steady_clock::now();
  double cpu_start = cpu_seconds();
  std::uintmax_t bytes = 0;
  std::size_t files = 0;
  if (mode == "trace") {
    auto r = bbx::views::write_trace_json(j, out / "trace.json");
    for (const auto& p : r.parts) bytes += p.bytes, ++files;
  } else if (mode == "html") {
    auto r = bbx::views::write_timeline_html(j, out / "timeline.html", "bench");
    for (const auto& p : r.pages) bytes += std::filesystem::file_size(p), ++files;
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode.c_str());
    return 2;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%.3f %ju %zu %.3f\n", s, bytes, files, cpu_seconds() - cpu_start);
  return 0;
}
