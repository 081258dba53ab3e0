// Steps: what the scenario does to its subjects, in order.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bbx/model/common.hpp"
#include "bbx/model/files.hpp"

namespace bbx::model {

// One expected response header of an http step (`expect.headers`). The name is matched
// case-insensitively; when the response repeats a header, the check holds if any of its
// values satisfies it (absent: if none is there).
struct HeaderExpectation {
  enum class Kind {
    equals,   // `Name: value`: exactly this value
    match,    // `Name: {contains: T}` / `{matches: RE}`
    present,  // `Name: {absent: false}`: any value
    absent,   // `Name: {absent: true}`: not in the response
  };
  std::string name;                // as written
  Kind kind = Kind::equals;
  Template value;                  // equals: ${variables} expanded by the runner
  std::optional<TextMatch> match;  // match
  SourceLocation where;            // the expected value (or matcher) in the file
};

struct HttpStep {
  std::string method = "GET";
  Template url;
  std::map<std::string, Template> headers;
  std::optional<Template> body;
  Duration timeout = std::chrono::seconds(10);
  // Expected response; unset fields are not checked.
  std::optional<int> expect_status;
  std::optional<std::string> expect_body;
  std::vector<HeaderExpectation> expect_headers;  // in written order
};

struct SignalStep {
  std::string subject;
  int signal = 1;  // SIGHUP
};

struct SleepStep {
  Duration duration{0};
};

// Runs a command to completion (argv, no shell; cwd = sandbox) and checks how it ended.
struct CommandStep {
  std::vector<Template> argv;
  std::map<std::string, Template> env;
  Duration timeout = std::chrono::seconds(10);
  std::optional<int> expect_exit;          // default 0
  std::optional<Template> expect_stdout;   // exact
  std::optional<Template> expect_stderr;   // exact
  std::vector<Template> stdout_contains;
  std::vector<Template> stderr_contains;
  std::optional<util::Regex> stdout_matches;  // searched; compiled at load
  std::optional<util::Regex> stderr_matches;
};

// start / stop / restart one subject through the supervisor.
struct SubjectStep {
  enum class Op { start, stop, restart } op = Op::restart;
  std::string subject;
};

// Waits until a condition holds, or fails at `timeout`.
struct WaitStep {
  enum class Kind { file, http, output } kind = Kind::file;
  Template target;            // file: a sandbox path; http: a URL; output: the text to find
  std::string subject;        // output: whose output (empty = any subject)
  int status = 200;           // http: the status to wait for
  std::uint64_t min_size = 0; // file: at least this many bytes
  Duration timeout = std::chrono::seconds(5);
};

struct MarkStep {
  std::string name;
};

// Writes or changes a sandbox file.
struct FileStep {
  SandboxFile file;
};

struct Step {
  std::string label;  // "http GET http://...", shown in reports
  std::variant<HttpStep, SignalStep, SleepStep, CommandStep, SubjectStep, WaitStep, MarkStep, FileStep> action;
  SourceLocation where;
};

}  // namespace bbx::model
