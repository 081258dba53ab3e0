// schema/bbx-scenario.schema.json kept in sync with the loader: every scenario, fragment
// and passing/failing/defects case validates with Ajv (draft 2020-12), and every malformed corpus
// file is rejected by it, except the semantic-only mistakes listed in
// tests/cases/schema-semantic-only.txt (which the schema must then accept, so the list
// stays honest). Ajv comes from npm (ajv-cli + ajv-formats) in <build>/node, installed here
// when missing; without npm the test is skipped with a message, except under CI=true.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

std::filesystem::path node_modules() { return std::filesystem::path(BBX_BINARY_DIR) / "node" / "node_modules"; }

bool ajv_available(std::string& why) {
  if (std::filesystem::exists(node_modules() / "ajv-cli") && std::filesystem::exists(node_modules() / "ajv-formats"))
    return true;
  if (run_command({"/bin/sh", "-c", "command -v npm && command -v node"}).exit_code != 0) {
    why = "npm/node not found on PATH: JSON Schema checks skipped (install nodejs and npm, see scripts/setup)";
    return false;
  }
  auto r = run_command({"/usr/bin/env", "npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        (std::filesystem::path(BBX_BINARY_DIR) / "node").string(), "ajv-cli@5", "ajv-formats@2",
                        "playwright-core@1"},  // all of <build>/node (test_timeline_html.cpp): fewer would prune it
                       std::chrono::seconds(300));
  INFO(r.out, r.err);
  REQUIRE_MESSAGE(r.exit_code == 0, "npm install of ajv-cli failed");
  return true;
}

std::vector<std::string> yaml_files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(source_dir() / dir)) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".yaml" || ext == ".yml"))
      out.push_back(std::filesystem::relative(e.path(), source_dir()).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// file -> "valid" | "invalid ..." | "unparsable ..."
std::map<std::string, std::string> ajv_verdicts(const std::vector<std::string>& files) {
  std::vector<std::string> argv = {"/usr/bin/env", "node", "tests/integration/ajv_check.js", node_modules().string(),
                                   "schema/bbx-scenario.schema.json"};
  argv.insert(argv.end(), files.begin(), files.end());
  auto r = run_command(argv, std::chrono::seconds(120));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::map<std::string, std::string> out;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    auto sp = line.find(' ');
    auto rest = line.substr(sp + 1);
    auto colon = rest.find(": ");
    out[rest.substr(0, colon)] = line.substr(0, sp) + (colon == std::string::npos ? "" : rest.substr(colon));
  }
  return out;
}

std::set<std::string> semantic_only() {
  std::set<std::string> out;
  std::ifstream in(source_dir() / "tests/cases/schema-semantic-only.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    out.insert("tests/cases/malformed/" + line.substr(0, line.find(' ')));
  }
  return out;
}

// Outside CI a machine without npm skips the schema checks with a message; under CI=true
// (where scripts/setup installs npm) it is a failure, so CI cannot pass without them.
bool schema_checks_possible() {
  std::string why;
  if (ajv_available(why)) return true;
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") FAIL(why);
  MESSAGE(why);
  return false;
}

}  // namespace

TEST_CASE("every scenario, fragment and passing/failing case validates against the JSON Schema") {
  if (!schema_checks_possible()) return;
  std::vector<std::string> files;
  for (const char* dir : {"scenarios", "tests/cases/passing", "tests/cases/failing", "tests/cases/defects", "tests/cases/fragments",
                          "tests/cases/real"})
    for (auto& f : yaml_files(dir))
      if (f.find("/bad_") == std::string::npos) files.push_back(f);  // bad_*: fragments with a planted mistake
  auto verdicts = ajv_verdicts(files);
  CHECK(verdicts.size() == files.size());
  for (const auto& f : files) CHECK_MESSAGE(verdicts[f] == "valid", (f + ": " + verdicts[f]));
}

TEST_CASE("the JSON Schema rejects every malformed file that is a schema-level mistake") {
  if (!schema_checks_possible()) return;
  auto files = yaml_files("tests/cases/malformed");
  auto semantic = semantic_only();
  CHECK(semantic.size() >= 20);
  auto verdicts = ajv_verdicts(files);
  int rejected = 0;
  for (const auto& f : files) {
    bool valid = verdicts[f] == "valid";
    if (semantic.count(f)) {
      CHECK_MESSAGE(valid, (f + " is listed as semantic-only but the schema rejects it: " + verdicts[f]));
    } else {
      CHECK_MESSAGE(!valid, (f + " is accepted by the schema (list it in schema-semantic-only.txt only if no schema can catch it)"));
      rejected += !valid;
    }
  }
  for (const auto& s : semantic) CHECK_MESSAGE(verdicts.count(s), (s + " is listed but does not exist"));
  CHECK(rejected >= 40);
}
