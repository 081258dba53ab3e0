#include <doctest/doctest.h>

#include <vector>

#include "util/line_splitter.hpp"

using namespace bbx::util;

namespace {
struct Collected {
  std::vector<std::string> lines;
  std::vector<bool> split, partial;
  std::function<void(const LinePiece&)> sink() {
    return [this](const LinePiece& p) {
      lines.emplace_back(p.text);
      split.push_back(p.split);
      partial.push_back(p.partial);
    };
  }
};
}  // namespace

TEST_CASE("lines arriving in pieces are reassembled") {
  LineSplitter s;
  Collected c;
  s.feed("hel", c.sink());
  s.feed("lo\nwor", c.sink());
  s.feed("ld\n\n", c.sink());
  CHECK(c.lines == std::vector<std::string>{"hello", "world", ""});
}

TEST_CASE("a final line without newline is flushed at the end, marked partial") {
  LineSplitter s;
  Collected c;
  s.feed("done\nlast words", c.sink());
  s.finish(c.sink());
  REQUIRE(c.lines.size() == 2);
  CHECK(c.lines[1] == "last words");
  CHECK(c.partial[1]);
}

TEST_CASE("very long lines are split with a marker") {
  LineSplitter s(4);
  Collected c;
  s.feed("abcdefghij\nxy\n", c.sink());
  CHECK(c.lines == std::vector<std::string>{"abcd", "efgh", "ij", "xy"});
  CHECK(c.split == std::vector<bool>{true, true, false, false});
}

TEST_CASE("'\\r' is kept: the bytes before the delimiter are the line") {
  LineSplitter s;
  Collected c;
  s.feed("a\r\nb\r", c.sink());
  s.finish(c.sink());
  CHECK(c.lines == std::vector<std::string>{"a\r", "b\r"});
}

TEST_CASE("a multi-byte delimiter is found across any split of the stream") {
  const std::string stream = "ab\r\n\r\nc\rd\r\ne";
  for (std::size_t step : {1u, 2u, 3u, 100u}) {
    LineSplitter s(64, "\r\n");
    Collected c;
    for (std::size_t i = 0; i < stream.size(); i += step) s.feed(std::string_view(stream).substr(i, step), c.sink());
    s.finish(c.sink());
    CHECK(c.lines == std::vector<std::string>{"ab", "", "c\rd", "e"});
    CHECK(c.partial == std::vector<bool>{false, false, false, true});
  }
}

TEST_CASE("a line of exactly max_line bytes is one piece, even when its delimiter arrives later") {
  for (std::size_t step : {1u, 5u}) {
    LineSplitter s(4, "\r\n");
    Collected c;
    const std::string stream = "abcd\r\nabcde\r\n";
    for (std::size_t i = 0; i < stream.size(); i += step) s.feed(std::string_view(stream).substr(i, step), c.sink());
    CHECK(c.lines == std::vector<std::string>{"abcd", "abcd", "e"});
    CHECK(c.split == std::vector<bool>{false, true, false});
  }
}

TEST_CASE("the unterminated rest is emitted in max_line pieces too, the last marked partial") {
  LineSplitter s(4, "\r\n");
  Collected c;
  s.feed("abcde\r", c.sink());  // the '\r' may begin a delimiter: held
  CHECK(c.lines == std::vector<std::string>{"abcd"});
  s.finish(c.sink());
  CHECK(c.lines == std::vector<std::string>{"abcd", "e\r"});
  CHECK(c.split == std::vector<bool>{true, false});
  CHECK(c.partial == std::vector<bool>{false, true});
  s.finish(c.sink());  // nothing left
  CHECK(c.lines.size() == 2);
}
