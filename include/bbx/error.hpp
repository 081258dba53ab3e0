// bbx::Error: the one exception type domain code throws. It carries where the problem is
// (a scenario file position, when known) and which exit code it maps to. Exactly one
// catch, in src/cli, turns it into a message and an exit code (DESIGN.md: 2 for invalid
// input, 3 for harness/infrastructure errors). Errors of the `scenario` kind are caught by
// the runner, which fails the scenario with their message.
#pragma once

#include <stdexcept>
#include <string>

namespace bbx {

// A position in a user's file. Lines and columns are 1-based; line 0 means "the whole
// file" (or no file at all when path is empty).
struct SourceLocation {
  std::string path;
  int line = 0;
  int column = 0;

  // "path:line:col", "path" or "" depending on what is known.
  std::string to_string() const {
    if (path.empty()) return {};
    if (line <= 0) return path;
    return path + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

enum class ErrorKind {
  invalid_input,  // the user's scenario or command line is wrong: exit 2
  harness,        // bbx or the machine failed: exit 3
  scenario,       // valid, but it cannot be carried out as written (a subject's command not
                  // found, a file it names unreadable, a config edit of the wrong type):
                  // the scenario fails (exit 1) saying why
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, SourceLocation where, const std::string& message)
      : std::runtime_error(message), kind_(kind), where_(std::move(where)), message_(message) {}
  Error(ErrorKind kind, const std::string& message) : Error(kind, {}, message) {}

  ErrorKind kind() const { return kind_; }
  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }
  // "path:line:col: message" (or just the message when there is no location).
  std::string formatted() const {
    std::string at = where_.to_string();
    return at.empty() ? message_ : at + ": " + message_;
  }

 private:
  ErrorKind kind_;
  SourceLocation where_;
  std::string message_;
};

// Shorthands for the two kinds.
[[noreturn]] inline void fail_input(const SourceLocation& where, const std::string& message) {
  throw Error(ErrorKind::invalid_input, where, message);
}
[[noreturn]] inline void fail_harness(const std::string& message) {
  throw Error(ErrorKind::harness, message);
}
[[noreturn]] inline void fail_scenario(const std::string& message) {
  throw Error(ErrorKind::scenario, message);
}

}  // namespace bbx
