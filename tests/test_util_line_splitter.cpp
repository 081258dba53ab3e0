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
