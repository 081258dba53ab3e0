#include "runner/run_dir.hpp"

#include <cerrno>
#include <cstring>

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

std::string scenario_dir_name(const std::string& id) {
  std::string out = id;
  for (auto& c : out) {
    bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '=' || c == ',';
    if (!keep) c = '_';
  }
  return out;
}

}  // namespace bbx::runner
