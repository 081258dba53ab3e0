#include <doctest/doctest.h>

#include "runner/run_dir.hpp"

using bbx::runner::scenario_dir_names;

TEST_CASE("ids that map to one directory name get distinct names, the first keeps the plain one") {
  CHECK(scenario_dir_names({"x y", "x_y", "x?y", "other"}) ==
        std::vector<std::string>{"x_y", "x_y-2", "x_y-3", "other"});
}

TEST_CASE("a suffix never takes a name another id maps to") {
  // "x_y-2" is an id of its own: the second "x y"-like id skips to -3.
  CHECK(scenario_dir_names({"x y", "x_y", "x_y-2"}) == std::vector<std::string>{"x_y", "x_y-3", "x_y-2"});
  CHECK(scenario_dir_names({}).empty());
}
