#include "report/view_paths.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace bbx::report {

namespace {

// "    app pid 5 main thread: accept < fixture::serve(...) < main": where the main thread of
// each hung subject's main process was, its innermost frames first, from snapshot.json.
void print_main_stacks(std::ostream& out, const std::filesystem::path& snapshot) {
  std::ifstream in(snapshot);
  auto doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded() || !doc.contains("subjects")) return;
  for (const auto& [name, subject] : doc["subjects"].items()) {
    auto main_pid = subject.value("main_pid", 0);
    for (const auto& p : subject.value("processes", nlohmann::json::array())) {
      if (p.value("pid", 0) != main_pid || !p.contains("stacks")) continue;
      for (const auto& g : p["stacks"].value("groups", nlohmann::json::array())) {
        auto tids = g.value("tids", std::vector<int>{});
        if (std::find(tids.begin(), tids.end(), main_pid) == tids.end()) continue;
        std::string frames;
        int shown = 0;
        for (const auto& f : g.value("frames", std::vector<std::string>{})) {
          if (shown++ == 6) {
            frames += " < ...";
            break;
          }
          frames += (frames.empty() ? "" : " < ") + f;
        }
        out << "    " << name << " pid " << main_pid << " main thread: " << frames << "\n";
      }
    }
  }
}

}  // namespace

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
  if (fs::exists(dir / "failure/stacks.txt", ec)) {
    out << "  stacks:   " << (dir / "failure/stacks.txt").string() << "\n";
    print_main_stacks(out, dir / "failure/snapshot.json");
  }
}

}  // namespace bbx::report
