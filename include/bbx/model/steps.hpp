// Steps: what the scenario does to its subjects, in order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

struct HttpStep {
  std::string method = "GET";
  Template url;
  std::map<std::string, Template> headers;
  std::optional<Template> body;
  Duration timeout = std::chrono::seconds(10);
  // Expected response; unset fields are not checked.
  std::optional<int> expect_status;
  std::optional<std::string> expect_body;
};

struct SignalStep {
  std::string subject;
  int signal = 1;  // SIGHUP
};

struct SleepStep {
  Duration duration{0};
};

struct Step {
  std::string label;  // "http GET http://...", shown in reports
  std::variant<HttpStep, SignalStep, SleepStep> action;
  SourceLocation where;
};

}  // namespace bbx::model
