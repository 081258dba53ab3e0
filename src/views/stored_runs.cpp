#include "views/stored_runs.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "bbx/error.hpp"
#include "journal/stored_journal.hpp"

namespace bbx::views {

namespace fs = std::filesystem;

namespace {

std::optional<nlohmann::json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::vector<StoredScenario> run_scenarios(const fs::path& run, bool all) {
  std::vector<StoredScenario> found;
  std::vector<fs::path> dirs;
  if (auto summary = read_json(run / "summary.json"); summary && summary->contains("scenarios")) {
    for (const auto& s : (*summary)["scenarios"]) {
      auto dir = s.value("dir", std::string());
      if (!dir.empty() && fs::exists(fs::path(dir) / "events.jsonl")) dirs.emplace_back(dir);
      else if (!dir.empty() && fs::exists(run / fs::path(dir).filename() / "events.jsonl"))
        dirs.push_back(run / fs::path(dir).filename());
    }
  }
  if (dirs.empty()) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(run, ec))
      if (entry.is_directory() && fs::exists(entry.path() / "events.jsonl")) dirs.push_back(entry.path());
    std::sort(dirs.begin(), dirs.end());
  }
  for (const auto& d : dirs) found.push_back(read_stored_scenario(d));
  if (found.empty()) fail_input({run.string()}, "no scenario journal (*/events.jsonl) in this run directory");
  if (all) return found;
  std::vector<StoredScenario> bad;
  for (const auto& s : found)
    if (s.verdict != "passed") bad.push_back(s);
  return bad.empty() ? found : bad;
}

}  // namespace

StoredScenario read_stored_scenario(const fs::path& dir) {
  StoredScenario s;
  s.dir = dir;
  s.verdict = "running";
  if (auto result = read_json(dir / "result.json")) {
    s.id = result->value("id", std::string());
    s.verdict = result->value("verdict", std::string("running"));
  }
  if (s.id.empty()) {
    try {
      journal::StoredJournal j(dir / "events.jsonl");
      j.for_each(1, [&](const Event& e) {
        s.id = e.body.value("id", std::string());
        return false;
      });
    } catch (const std::exception&) {
    }
  }
  if (s.id.empty()) s.id = dir.filename().string();
  return s;
}

std::vector<StoredScenario> find_stored_scenarios(const std::optional<std::string>& target, const fs::path& runs_dir,
                                                  bool all) {
  std::error_code ec;
  if (!target) {
    auto latest = runs_dir / "latest";
    if (!fs::exists(latest, ec))
      fail_input({latest.string()}, "no run yet (no 'latest' in " + runs_dir.string() + "); run `bbx run` first or name a run directory");
    return run_scenarios(latest, all);
  }
  fs::path p(*target);
  if (fs::is_regular_file(p, ec)) {
    if (p.filename() != "events.jsonl") fail_input({p.string()}, "not a journal: expected an events.jsonl file, a scenario directory or a run directory");
    auto s = read_stored_scenario(p.parent_path().empty() ? fs::path(".") : p.parent_path());
    return {s};
  }
  if (!fs::is_directory(p, ec) && fs::is_directory(runs_dir / p, ec)) p = runs_dir / p;
  if (!fs::is_directory(p, ec))
    fail_input({*target}, "no such run or scenario directory (nor a run id under " + runs_dir.string() + ")");
  if (fs::exists(p / "events.jsonl")) return {read_stored_scenario(p)};
  return run_scenarios(p, all);
}

}  // namespace bbx::views
