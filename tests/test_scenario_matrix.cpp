#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "scenario/loader.hpp"

using namespace bbx;

namespace {

std::vector<Scenario> load(const std::string& text, const scenario::LoadOptions& options = {}) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit-matrix";
  std::filesystem::create_directories(dir);
  auto p = dir / "m.yaml";
  std::ofstream(p) << text;
  return scenario::load_scenario_file(p, options);
}

std::vector<std::string> ids(const std::vector<Scenario>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(s.id);
  return out;
}

}  // namespace

TEST_CASE("a cartesian matrix expands in written key order, last key fastest") {
  auto v = load("name: m\nmatrix: {b: [1, 2], a: [x, y, z]}\n");
  CHECK(ids(v) == std::vector<std::string>{"m[b=1,a=x]", "m[b=1,a=y]", "m[b=1,a=z]", "m[b=2,a=x]", "m[b=2,a=y]",
                                           "m[b=2,a=z]"});
  CHECK(v[4].vars.at("a") == "y");
  CHECK(v[4].vars.at("b") == "2");
  CHECK(v[4].matrix == std::vector<std::pair<std::string, std::string>>{{"b", "2"}, {"a", "y"}});
}

TEST_CASE("listed variants keep their order; --var overrides a matrix value") {
  auto v = load("name: m\nmatrix:\n  - {k: one}\n  - {k: two}\n", {{{"k", "cli"}}});
  CHECK(ids(v) == std::vector<std::string>{"m[k=one]", "m[k=two]"});
  CHECK(v[0].vars.at("k") == "cli");
}

TEST_CASE("when: keeps entries only in matching variants, at any depth") {
  auto v = load(R"(name: m
matrix: {k: [a, b, c]}
files:
  - path: f.json
    content: "{}"
    edits:
      - {set: x, value: 1, when: {k: a}}
      - {set: y, value: 2, when: {k: [b, c]}}
steps:
  - {mark: all}
  - {mark: only-c, when: {k: c}}
)");
  REQUIRE(v.size() == 3);
  CHECK(v[0].steps.size() == 1);
  CHECK(v[2].steps.size() == 2);
  CHECK(v[0].files[0].edits.size() == 1);
  CHECK(v[0].files[0].edits[0].key == "x");
  CHECK(v[1].files[0].edits[0].key == "y");
}

TEST_CASE("pids cannot be used in files: written before subjects start") {
  CHECK_THROWS_WITH_AS(load("name: m\nsubjects: {app: {command: [x]}}\nfiles:\n  - {path: p, content: \"${subjects.app.pid}\"}\n"),
                       "'${subjects.app.pid}' has no value in files: (they are written before subjects start); "
                       "write the file with a 'file' step instead",
                       Error);
}
