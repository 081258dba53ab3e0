#include "report/view_paths.hpp"

#include <filesystem>

namespace bbx::report {

void print_view_paths(std::ostream& out, const std::string& scenario_dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir(scenario_dir);
  if (fs::exists(dir / "timeline.html", ec)) out << "  timeline: " << (dir / "timeline.html").string() << "\n";
  if (fs::exists(dir / "trace.json", ec)) {
    int parts = 1;
    while (fs::exists(dir / ("trace." + std::to_string(parts + 1) + ".json"), ec)) ++parts;
    out << "  trace:    " << (dir / "trace.json").string() << "  (ui.perfetto.dev"
        << (parts > 1 ? "; split by time into " + std::to_string(parts) + " files: trace.2.json ..." : std::string()) << ")\n";
  }
}

}  // namespace bbx::report
