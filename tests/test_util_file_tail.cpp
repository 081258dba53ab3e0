// The last lines of a file, read from its end within a byte bound.
#include <doctest/doctest.h>

#include <fstream>

#include "assert_test_support.hpp"
#include "util/file_tail.hpp"

using namespace bbx::util;

TEST_CASE("the last lines, oldest first, and whether there were more") {
  auto dir = bbx::testing::unit_temp_dir("file-tail");
  std::ofstream(dir / "a.log") << "one\ntwo\nthree\nfour\n";
  auto t = tail_of_file(dir / "a.log", 2);
  CHECK(t.readable);
  CHECK(t.size == 19);
  CHECK(t.lines == std::vector<std::string>{"three", "four"});
  CHECK(t.more);
  t = tail_of_file(dir / "a.log", 10);
  CHECK(t.lines.size() == 4);
  CHECK_FALSE(t.more);
}

TEST_CASE("a last line without newline counts; a line cut by the byte bound is left out") {
  auto dir = bbx::testing::unit_temp_dir("file-tail-cut");
  std::ofstream(dir / "b.log") << std::string(100, 'x') << "\nlast words";
  auto t = tail_of_file(dir / "b.log", 5, 20);
  CHECK(t.lines == std::vector<std::string>{"last words"});
  CHECK(t.more);
  std::ofstream(dir / "empty.log").close();
  CHECK(tail_of_file(dir / "empty.log", 5).lines.empty());
  CHECK(tail_of_file(dir / "empty.log", 5).readable);
  CHECK_FALSE(tail_of_file(dir / "missing.log", 5).readable);
  CHECK_FALSE(tail_of_file(dir, 5).readable);  // a directory
}
