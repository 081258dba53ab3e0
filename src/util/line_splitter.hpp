// Splits a byte stream into lines as it arrives. Pure: no I/O, unit-tested directly.
//
// A line is the bytes before '\n' (a trailing '\r' is kept: subjects' bytes are evidence).
// A line longer than max_line is emitted in max_line pieces, each but the last marked
// `split`. finish() emits a final unterminated line marked `partial`.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace bbx::util {

struct LinePiece {
  std::string_view text;
  bool split = false;    // the line continues in the next piece
  bool partial = false;  // the stream ended without a newline
};

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line = 64 * 1024) : max_line_(max_line) {}
  void feed(std::string_view data, const std::function<void(const LinePiece&)>& on_line);
  void finish(const std::function<void(const LinePiece&)>& on_line);

 private:
  std::size_t max_line_;
  std::string pending_;
};

}  // namespace bbx::util
