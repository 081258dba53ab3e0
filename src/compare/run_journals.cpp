#include "compare/run_journals.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "bbx/error.hpp"
#include "journal/stored_journal.hpp"

namespace bbx::compare {

namespace fs = std::filesystem;

namespace {

std::string id_of(const fs::path& journal) {
  journal::StoredJournal log(journal);
  try {
    auto first = log.at(1);
    if (first.type == "scenario.begin") return first.body.value("id", first.source.name);
  } catch (const std::out_of_range&) {
  }
  fail_input({journal.string()}, "not a bbx journal: it does not start with a scenario.begin event");
}

// "name@3" -> 3: the directory of attempt 3 (bbx run --repeat); 1 otherwise.
int attempt_of_dir(const fs::path& dir) {
  auto name = dir.filename().string();
  auto at = name.rfind('@');
  if (at == std::string::npos || at + 1 == name.size()) return 1;
  auto digits = name.substr(at + 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 6) return 1;
  return std::stoi(digits);
}

}  // namespace

std::vector<ScenarioJournal> find_journals(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return {{id_of(path), 1, path}};
  if (!fs::is_directory(path, ec)) fail_input({path.string()}, "no such run, scenario directory or journal");
  if (fs::is_regular_file(path / "events.jsonl", ec)) return {{id_of(path / "events.jsonl"), attempt_of_dir(path), path / "events.jsonl"}};
  std::vector<ScenarioJournal> out;
  if (fs::is_regular_file(path / "summary.json", ec)) {
    nlohmann::json summary;
    try {
      std::ifstream in(path / "summary.json");
      summary = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      fail_input({(path / "summary.json").string()}, std::string("cannot read the run's summary: ") + e.what());
    }
    for (const auto& r : summary.value("scenarios", nlohmann::json::array())) {
      fs::path dir = r.value("dir", "");
      if (dir.empty()) continue;
      if (dir.is_relative() && !fs::exists(dir, ec)) dir = path / dir.filename();
      if (!fs::exists(dir / "events.jsonl", ec)) dir = path / dir.filename();  // the run directory was moved
      if (!fs::exists(dir / "events.jsonl", ec)) {
        if (r.value("verdict", "") == "interrupted") continue;  // never started
        fail_input({(path / "summary.json").string()}, "scenario '" + r.value("id", "?") + "' has no journal at " + (dir / "events.jsonl").string());
      }
      out.push_back({r.value("id", id_of(dir / "events.jsonl")), r.value("attempt", 1), dir / "events.jsonl"});
    }
    return out;
  }
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(path, ec))
    if (entry.is_directory() && fs::is_regular_file(entry.path() / "events.jsonl")) dirs.push_back(entry.path());
  std::sort(dirs.begin(), dirs.end());
  for (const auto& d : dirs) out.push_back({id_of(d / "events.jsonl"), attempt_of_dir(d), d / "events.jsonl"});
  if (out.empty()) fail_input({path.string()}, "no journal here: expected a run directory, a scenario directory or an events.jsonl");
  return out;
}

std::vector<JournalPair> pair_journals(const std::vector<ScenarioJournal>& a, const std::vector<ScenarioJournal>& b) {
  std::vector<JournalPair> out;
  if (a.size() == 1 && b.size() == 1) return {{a[0].id, a[0].attempt, a[0].journal, b[0].journal}};
  std::vector<bool> taken(b.size(), false);
  for (const auto& x : a) {
    JournalPair p{x.id, x.attempt, x.journal, std::nullopt};
    for (std::size_t i = 0; i < b.size(); ++i)
      if (!taken[i] && b[i].id == x.id && b[i].attempt == x.attempt) {
        p.b = b[i].journal;
        taken[i] = true;
        break;
      }
    out.push_back(std::move(p));
  }
  for (std::size_t i = 0; i < b.size(); ++i)
    if (!taken[i]) out.push_back({b[i].id, b[i].attempt, std::nullopt, b[i].journal});
  return out;
}

}  // namespace bbx::compare
