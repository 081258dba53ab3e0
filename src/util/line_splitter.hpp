// Splits a byte stream into lines as it arrives: bbx's one line cutter, used for subject
// output and log files and, under the TCP fakes' line and delimiter framings
// (fakes/tcp/framing.hpp), for TCP streams. Pure: no I/O, unit-tested directly.
//
// A line is the bytes before the delimiter ('\n' unless another non-empty byte string is
// given), which is not part of it; every other byte is kept ('\r' too: subjects' bytes are
// evidence; a framing that drops it does so itself). A line longer than max_line is
// emitted in max_line pieces as they complete, each but the last marked `split` (a line of
// exactly max_line bytes is one piece); so the splitter holds at most max_line bytes plus
// the delimiter's length - 1. finish() emits the unterminated rest, its last piece marked
// `partial`. Any split of the stream into feed() calls gives the same pieces.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace bbx::util {

struct LinePiece {
  std::string_view text;  // valid only during the callback
  bool split = false;     // the line continues in the next piece
  bool partial = false;   // the stream ended without a delimiter
};

class LineSplitter {
 public:
  using Sink = std::function<void(const LinePiece&)>;

  // max_line 0 is taken as 1; an empty delimiter as "\n".
  explicit LineSplitter(std::size_t max_line = 64 * 1024, std::string delimiter = "\n");
  // Emits, in order, the pieces the next bytes of the stream complete. on_line must not
  // call back into this splitter.
  void feed(std::string_view data, const Sink& on_line);
  // The stream ended: emits what is left, if anything (the splitter is then empty).
  void finish(const Sink& on_line);

 private:
  std::size_t cut(std::string_view buffer, std::size_t from, const Sink& on_line);

  std::size_t max_line_;
  std::string delimiter_;
  std::string pending_;  // the unterminated line so far (no delimiter begins before its last delimiter-1 bytes)
};

}  // namespace bbx::util
