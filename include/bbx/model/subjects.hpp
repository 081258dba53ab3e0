// Subjects: the daemons under test, started and supervised by the runner.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// When a subject counts as ready. All given conditions must hold, before `within`.
struct Readiness {
  std::vector<int> listening_tcp_ports;
  Duration within = std::chrono::seconds(5);
  SourceLocation where;
};

struct StopPolicy {
  int signal = 15;  // SIGTERM
  Duration grace = std::chrono::seconds(5);
};

struct Subject {
  std::string name;
  std::vector<Template> command;             // argv; command[0] resolved against fixtures/ and PATH
  std::map<std::string, Template> env;       // added to a clean environment
  Readiness ready;
  StopPolicy stop;
  std::vector<std::string> after;            // subjects whose readiness this one waits for
  SourceLocation where;
};

}  // namespace bbx::model
