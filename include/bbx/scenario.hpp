// The scenario model: what a scenario file means once loaded and validated. Everything a
// runner needs is here; nothing in it refers back to YAML.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bbx/model/compare.hpp"
#include "bbx/model/expectations.hpp"
#include "bbx/model/fakes.hpp"
#include "bbx/model/files.hpp"
#include "bbx/model/steps.hpp"
#include "bbx/model/subjects.hpp"

namespace bbx {

struct Scenario {
  std::string id;                       // stable: name, plus "[k=v,...]" for matrix variants
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::filesystem::path file;           // the scenario file it came from
  std::map<std::string, std::string> vars;
  std::vector<model::Fake> fakes;       // in written order
  std::vector<model::Subject> subjects; // in written order
  std::vector<model::SandboxFile> files; // written before subjects start, in order
  std::vector<std::pair<std::string, std::string>> matrix;  // this variant's values, in key order
  std::vector<model::Step> steps;
  std::vector<model::Expectation> expect;
  model::Duration timeout = std::chrono::seconds(60);  // whole scenario
  model::CompareRules compare;          // `compare:` rules for bbx diff and baselines

  const model::Fake* find_fake(std::string_view name) const;
  const model::Subject* find_subject(std::string_view name) const;
};

}  // namespace bbx
