// Headless Chromium for the tests of bbx's HTML pages: Debian's chromium driven by npm
// playwright-core, installed into <build>/node when missing (with the other npm tools the
// tests use, all at once: an install of fewer packages would prune the others). Without npm
// or chromium a browser test is skipped with the reason, except under CI=true, where it fails.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "harness.hpp"

namespace bbx::testing {

inline std::filesystem::path node_modules() { return std::filesystem::path(BBX_BINARY_DIR) / "node" / "node_modules"; }

// True when the browser can be driven; else why is set.
inline bool playwright_available(std::string& why) {
  if (!std::filesystem::exists("/usr/bin/chromium")) {
    why = "/usr/bin/chromium not found: the browser test is skipped (scripts/setup installs Debian's chromium)";
    return false;
  }
  if (std::filesystem::exists(node_modules() / "playwright-core")) return true;
  if (run_command({"/bin/sh", "-c", "command -v npm && command -v node"}).exit_code != 0) {
    why = "npm/node not found on PATH: the browser test is skipped (see scripts/setup)";
    return false;
  }
  auto r = run_command({"/usr/bin/env", "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        (std::filesystem::path(BBX_BINARY_DIR) / "node").string(), "ajv-cli@5", "ajv-formats@2",
                        "playwright-core@1"},
                       std::chrono::seconds(300));
  INFO(r.out, r.err);
  REQUIRE_MESSAGE(r.exit_code == 0, "npm install of playwright-core failed");
  return true;
}

// playwright_available, or the test skipped (a message) or failed under CI=true; false: return.
inline bool browser_or_skip() {
  std::string why;
  if (playwright_available(why)) return true;
  if (std::getenv("CI") && std::string(std::getenv("CI")) == "true") FAIL(why);
  MESSAGE(why);
  return false;
}

}  // namespace bbx::testing
