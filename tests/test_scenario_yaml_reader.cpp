// The YAML document bounds of scenario/yaml_reader.hpp: values and text once aliases are
// expanded, checked at load in a walk that stays linear however the aliases nest.
#include <doctest/doctest.h>

#include <string>

#include "bbx/error.hpp"
#include "scenario/yaml_reader.hpp"

using namespace bbx::scenario;

namespace {
std::string error_of(const std::string& text) {
  try {
    load_yaml_text(text, "s.yaml");
  } catch (const bbx::Error& e) {
    CHECK(e.kind() == bbx::ErrorKind::invalid_input);
    return e.formatted();
  }
  return "";
}
}  // namespace

TEST_CASE("one long string aliased many times is over the text bound, where it is used") {
  std::string text = "name: x\ndescription: &s " + std::string(1 << 20, 'x') + "\ntags: [*s";
  for (int i = 0; i < 64; ++i) text += ", *s";
  text += "]\n";
  CHECK(error_of(text) == "s.yaml:3:7: more than 67,108,864 bytes of text once YAML aliases (*name) are expanded");
}

TEST_CASE("lists doubling through aliases are over the values bound, without being expanded") {
  std::string text = "name: x\na0: &a0 [x]\n";
  for (int i = 1; i <= 60; ++i) {  // 2^60 values expanded: the walk must not expand them
    const std::string n = std::to_string(i), prev = std::to_string(i - 1);
    text.append("a").append(n).append(": &a").append(n).append(" [*a").append(prev).append(", *a").append(prev).append("]\n");
  }
  CHECK(error_of(text) == "s.yaml:21:6: more than 1,000,000 values once YAML aliases (*name) are expanded");
}

TEST_CASE("aliases within the bounds load") {
  std::string text = "name: x\ncommon: &c {a: 1, b: [1, 2, 3]}\nuses: [*c, *c, *c, *c]\n";
  CHECK(error_of(text).empty());
  CHECK(load_yaml_text(text, "s.yaml")["uses"].size() == 4);
}

// Found by fuzz/fuzz_scenario_loader.cpp (fuzz/regressions/scenario_loader/stray-comma):
// yaml-cpp 0.7 parses a ',' outside brackets as an empty document, again and again without
// moving on, and YAML::LoadAll kept building them until memory ran out (exit 3).
TEST_CASE("a ',' outside brackets is a syntax error at it, not endless documents") {
  CHECK(error_of(",") == "s.yaml:1:1: YAML syntax: unexpected ','");
  CHECK(error_of("- x\n,") == "s.yaml:2:1: YAML syntax: unexpected ','");
  CHECK(error_of("{a: 1},") == "s.yaml:1:7: YAML syntax: unexpected ','");
  CHECK(error_of("a: 1\n---\nb: 2\n") ==
        "s.yaml:3:1: a second YAML document: a scenario file holds one document (2 found, separated by '---'); put each "
        "scenario in a file of its own");
}
