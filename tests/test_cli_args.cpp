// Command-line parsing: the habits users bring from other tools.
#include <doctest/doctest.h>

#include "bbx/error.hpp"
#include "cli/args.hpp"

using namespace bbx::cli;

namespace {

const std::vector<OptionSpec> kSpecs = {
    {"jobs", 'j', true, "N", "jobs"},
    {"keep", 0, false, "", "keep"},
    {"var", 0, true, "K=V", "vars"},
};

}  // namespace

TEST_CASE("a short option takes its value attached, separate or after =") {
  CHECK(parse_args({"-j2"}, kSpecs).integer("jobs", 1, 1, 256) == 2);
  CHECK(parse_args({"-j", "3"}, kSpecs).integer("jobs", 1, 1, 256) == 3);
  CHECK(parse_args({"--jobs=4"}, kSpecs).integer("jobs", 1, 1, 256) == 4);
  CHECK(parse_args({"--jobs", "5"}, kSpecs).integer("jobs", 1, 1, 256) == 5);
  CHECK(parse_args({}, kSpecs).integer("jobs", 7, 1, 256) == 7);
}

TEST_CASE("values keep '=' after the first; positionals and -- pass through") {
  auto a = parse_args({"--var=k=v=w", "file.yaml", "--", "-j2"}, kSpecs);
  CHECK(a.value("var") == "k=v=w");
  CHECK(a.positional == std::vector<std::string>{"file.yaml", "-j2"});
}

TEST_CASE("mistakes are invalid input naming the option") {
  CHECK_THROWS_WITH_AS(parse_args({"--jbos", "2"}, kSpecs), "unknown option '--jbos'; did you mean '--jobs'?", bbx::Error);
  CHECK_THROWS_WITH_AS(parse_args({"--keep=yes"}, kSpecs), "option '--keep' takes no value", bbx::Error);
  CHECK_THROWS_WITH_AS(parse_args({"-j"}, kSpecs), "option '--jobs' needs a value (N)", bbx::Error);
  CHECK_THROWS_WITH_AS(parse_args({"-jx"}, kSpecs).integer("jobs", 1, 1, 256), "--jobs: expected a number 1..256, got 'x'",
                       bbx::Error);
  CHECK_THROWS_AS(parse_args({"-x"}, kSpecs), bbx::Error);
}
