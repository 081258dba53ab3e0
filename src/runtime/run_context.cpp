#include "runtime/run_context.hpp"

namespace bbx::runtime {

RunContext::RunContext(const Scenario& scenario, journal::Journal& journal, std::filesystem::path scenario_dir,
                       std::filesystem::path sandbox_dir, std::string isolation)
    : RunLoop(journal),
      scenario_(scenario),
      journal_(journal),
      scenario_dir_(std::move(scenario_dir)),
      sandbox_dir_(std::move(sandbox_dir)),
      isolation_(std::move(isolation)) {
  set_value("sandbox", sandbox_dir_.string());
  set_value("scenario.name", scenario.name);
  set_value("scenario.id", scenario.id);
  for (const auto& [k, v] : scenario.vars) {
    set_value(k, v);
    set_value("vars." + k, v);
  }
  on_port_allocated([this](const std::string& name, int port) {
    journal_.append({"scenario", scenario_.id, 0}, journal::ev::port_allocate, {{"name", name}, {"port", port}});
  });
}

}  // namespace bbx::runtime
