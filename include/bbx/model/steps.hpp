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

// One entry of an http step's `expect.json`: the value at a JSON pointer (RFC 6901,
// "/items/0/id") of the response body, parsed as JSON, and what it must be.
struct JsonExpectation {
  enum class Kind {
    equals,   // `/p: VALUE`, `/p: {equals: VALUE}`: this JSON value (numbers by value: 7 == 7.0)
    match,    // `/p: {contains: T}` / `{matches: RE}`: a string value as is, any other as JSON text
    present,  // `/p: {absent: false}`: any value
    absent,   // `/p: {absent: true}`: no value there
  };
  std::string pointer;              // as written, checked at load
  Kind kind = Kind::equals;
  std::string value;                // equals, not a string: the JSON text ("7", "[1,2]", "null")
  std::optional<Template> text;     // equals, a string: its text, ${variables} expanded by the runner
  std::optional<TextMatch> match;   // match
  SourceLocation where;             // the expected value (or matcher) in the file
};

// How a response breaks (`expect.broken` of an http step; what the steps' client saw). A
// connection that was never made (refused) or a response that never came (timeout) is not
// a broken response.
enum class HttpBreak {
  reset,      // the server reset the connection (RST), at any point
  closed,     // the server closed the connection before any byte of a response
  truncated,  // closed partway: in the status line or headers, or short of the body's length
  malformed,  // bytes that are not an HTTP response
  any,        // expected only: any of the above
};

// One entry of an http step's `capture:`: a value of the response stored as
// ${captures.NAME} for later steps and expectations.
struct HttpCapture {
  enum class From {
    json,    // `NAME: /pointer` / `{json: /pointer}`: a string as is, any other value as JSON text
    header,  // `{header: X}`: the first value of header X (case-insensitive)
    regex,   // `{regex: RE}`: searched in the body; group 1 if the regex has groups, else the match
  };
  std::string name;
  From from = From::json;
  std::string source;              // the pointer (json) or the header name (header)
  std::optional<TextMatch> regex;  // regex: compiled at load
  SourceLocation where;
};

struct HttpStep {
  std::string method = "GET";
  Template url;
  std::map<std::string, Template> headers;
  std::optional<Template> body;
  Duration timeout = std::chrono::seconds(10);  // each request's
  // The request is sent `repeat` times (1..10000), at most `concurrency` (1..64, at most
  // repeat) at a time, and every response is checked.
  std::int64_t repeat = 1;
  std::int64_t concurrency = 1;
  // Expected response; unset fields are not checked.
  std::optional<IntField> expect_status;
  std::optional<std::string> expect_body;
  std::vector<HeaderExpectation> expect_headers;  // in written order
  std::vector<Template> body_contains;            // each a substring of the body
  std::optional<TextMatch> body_matches;          // a regex searched in the body
  std::vector<JsonExpectation> expect_json;       // in written order
  // Set: the response must break this way (no status, body or header checks then).
  std::optional<HttpBreak> expect_broken;
  std::vector<HttpCapture> captures;  // in written order; not with repeat or broken
};

// How a subject is expected to end (a signal step's `expect_exit:`, `wait: {exit:}`):
// any way, an exit code, or killed by a signal.
struct ExitMatch {
  std::optional<IntField> code;  // exited with this code
  std::optional<int> signal;     // killed by this signal
  // neither: any exit
};

// `to`: `group` the main process's process group (kill(-pid); its children unless they
// left the group), `main` the main process only, `tree` every process of its tree.
struct SignalStep {
  enum class To { group, main, tree };
  std::string subject;
  int signal = 1;  // SIGHUP
  To to = To::group;
  // Set: the signal is expected to end the subject; the step waits up to `timeout` for the
  // exit, which is then no crash, and checks how it ended.
  std::optional<ExitMatch> expect_exit = std::nullopt;
  Duration timeout = std::chrono::seconds(5);
};

struct SleepStep {
  Duration duration{0};
};

// Runs a command to completion (argv, no shell; cwd = sandbox) and checks how it ended.
struct CommandStep {
  std::vector<Template> argv;
  std::map<std::string, Template> env;
  Duration timeout = std::chrono::seconds(10);
  std::optional<IntField> expect_exit;     // default 0
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
  enum class Kind { file, http, output, exit } kind = Kind::file;
  Template target;            // file: a sandbox path; http: a URL; output: the text to find;
                              // exit: the subject's name
  std::string subject;        // output: whose output (empty = any subject)
  IntField status{200, std::nullopt, 100, 599, "wait.status"};  // http: the status to wait for
  std::int64_t count = 1;     // output: wait for the count-th matching line
  ExitMatch exit;             // exit: how it must end (default: any way)
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
