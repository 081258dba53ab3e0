// The --color option shared by run, timeline and diff.
#include "cli/color.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include "bbx/error.hpp"

using bbx::cli::parse_args;
using bbx::cli::want_color;

namespace {

const std::vector<bbx::cli::OptionSpec> specs = {{"color", 0, true, "WHEN", "colour"}};

}  // namespace

TEST_CASE("--color always and never decide; auto does not colour a pipe; another value is an input error") {
  CHECK(want_color(parse_args({"--color", "always"}, specs)));
  CHECK_FALSE(want_color(parse_args({"--color", "never"}, specs)));
  // The tests' stdout is not a terminal (ctest captures it), so auto means no colour.
  if (!::isatty(STDOUT_FILENO)) CHECK_FALSE(want_color(parse_args({}, specs)));
  CHECK_THROWS_WITH_AS(want_color(parse_args({"--color", "sometimes"}, specs)),
                    "--color: expected auto, always or never, got 'sometimes'", bbx::Error);
}
