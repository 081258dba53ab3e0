#include "cli/read_report.hpp"

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "report/summary.hpp"

namespace bbx::cli {

RunSummary read_run(const std::string& where) {
  std::filesystem::path p(where);
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec)) {
    if (std::filesystem::exists(p / "summary.json")) p /= "summary.json";
    else if (std::filesystem::exists(p / "latest" / "summary.json")) p = p / "latest" / "summary.json";
    else fail_input({where}, "no summary.json here (nor in latest/): not a bbx run or runs directory");
  }
  std::ifstream in(p);
  if (!in) fail_input({p.string()}, "cannot read the report");
  try {
    return report::summary_from_json(nlohmann::json::parse(in));
  } catch (const std::exception& e) {
    fail_input({p.string()}, std::string("not a bbx JSON report: ") + e.what());
  }
}

}  // namespace bbx::cli
