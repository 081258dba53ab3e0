// For unit tests that need a run: a RunContext over an empty scenario, with its journal and
// sandbox in a fresh directory under the system's temporary one, removed afterwards.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "journal/journal.hpp"
#include "runtime/run_context.hpp"

namespace bbx::testing {

struct RunContextRig {
  // `tag` names the directory (tag-PID): tests of one binary each use their own.
  explicit RunContextRig(const std::string& tag)
      : dir(std::filesystem::temp_directory_path() / (tag + "-" + std::to_string(::getpid()))),
        journal((std::filesystem::create_directories(dir / "sandbox"), dir / "events.jsonl")),
        ctx(scenario, journal, dir, dir / "sandbox", "none") {}
  ~RunContextRig() { std::filesystem::remove_all(dir); }

  // Runs the loop for `d` (no condition ends it sooner).
  void run_for(std::chrono::milliseconds d) {
    ctx.run_until([] { return false; }, std::chrono::steady_clock::now() + d);
  }

  Scenario scenario;
  std::filesystem::path dir;
  journal::Journal journal;
  runtime::RunContext ctx;
};

}  // namespace bbx::testing
