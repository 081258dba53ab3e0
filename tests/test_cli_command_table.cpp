// The subcommand table: every command once, found by name; an unknown name is invalid
// input naming the known commands.
#include <doctest/doctest.h>

#include <set>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"

using namespace bbx;

TEST_CASE("every command of the table has a unique name, a handler and a --help option") {
  std::set<std::string> names;
  for (const auto& c : cli::commands()) {
    CAPTURE(c.name);
    CHECK(names.insert(c.name).second);
    CHECK(c.handler);
    CHECK(&cli::find_command(c.name) == &c);
    bool has_help = false;
    for (const auto& o : c.options) has_help = has_help || o.name == "help";
    CHECK(has_help);
  }
  CHECK(names == std::set<std::string>{"run", "validate", "list", "timeline", "merge", "diff", "profile", "help", "version"});
}

TEST_CASE("an unknown command is invalid input naming the closest and every known command") {
  try {
    cli::find_command("valdate");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid_input);
    CHECK(e.message() ==
          "unknown command 'valdate'; did you mean 'validate'? (commands: run, validate, list, timeline, merge, diff, profile, help, version)");
  }
  CHECK_THROWS_WITH(cli::find_command("frobnicate"),
                    "unknown command 'frobnicate' (commands: run, validate, list, timeline, merge, diff, profile, help, version)");
}
