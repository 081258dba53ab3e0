#include "runner/run_dir.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <set>
#include <vector>

#include "bbx/error.hpp"
#include "util/clock.hpp"

namespace bbx::runner {

std::filesystem::path create_run_dir(const std::filesystem::path& runs_dir, std::string& run_id) {
  std::error_code ec;
  std::filesystem::create_directories(runs_dir, ec);
  if (ec) fail_harness("cannot create runs directory " + runs_dir.string() + ": " + ec.message());
  std::string base = util::run_id_from(util::realtime_ns());
  for (int n = 0; n < 1000; ++n) {
    run_id = n == 0 ? base : base + "-" + std::to_string(n);
    auto dir = runs_dir / run_id;
    if (std::filesystem::create_directory(dir, ec)) {
      auto latest = runs_dir / "latest";
      auto tmp = runs_dir / (".latest-" + run_id);
      std::filesystem::create_directory_symlink(run_id, tmp, ec);
      if (!ec) std::filesystem::rename(tmp, latest, ec);  // atomic replace
      return dir;
    }
    if (ec) fail_harness("cannot create run directory " + dir.string() + ": " + ec.message());
  }
  fail_harness("cannot find a free run id under " + runs_dir.string());
}

namespace {

// YYYYMMDD-HHMMSS-mmm, optionally -N.
bool looks_like_run_id(const std::string& name) {
  if (name.size() < 19) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    bool dash = i == 8 || i == 15 || (i > 18 && name[i] == '-');
    if (dash ? name[i] != '-' : !std::isdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

}  // namespace

std::size_t prune_runs(const std::filesystem::path& runs_dir, std::size_t keep, const std::string& current_run_id) {
  if (keep == 0) return 0;
  std::vector<std::string> runs;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(runs_dir, ec)) {
    auto name = e.path().filename().string();
    if (e.is_directory(ec) && !e.is_symlink(ec) && looks_like_run_id(name) && name != current_run_id) runs.push_back(name);
  }
  std::sort(runs.begin(), runs.end());  // run ids sort by time
  std::size_t removed = 0;
  const std::size_t older_kept = keep - 1;  // the current run is one of the `keep`
  for (std::size_t i = 0; i + older_kept < runs.size(); ++i) {
    std::filesystem::remove_all(runs_dir / runs[i], ec);
    if (!ec) ++removed;
  }
  return removed;
}

std::string scenario_dir_name(const std::string& id) {
  std::string out = id;
  for (auto& c : out) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '=' || c == ',';
    if (!keep) c = '_';
  }
  return out;
}

std::vector<std::string> scenario_dir_names(const std::vector<std::string>& ids) {
  std::vector<std::string> names;
  names.reserve(ids.size());
  std::set<std::string> taken;
  for (const auto& id : ids) taken.insert(scenario_dir_name(id));
  std::set<std::string> used;
  for (const auto& id : ids) {
    std::string name = scenario_dir_name(id);
    if (!used.insert(name).second) {
      std::string base = name;
      for (int n = 2;; ++n) {
        name = base + "-" + std::to_string(n);
        if (!taken.count(name) && used.insert(name).second) break;
      }
    }
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace bbx::runner
