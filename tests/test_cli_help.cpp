// Help texts: the general help lists every command, each command's help every option.
#include <doctest/doctest.h>

#include "cli/help.hpp"

using namespace bbx;

TEST_CASE("the general help lists every command with its summary") {
  auto text = cli::general_help();
  for (const auto& c : cli::commands()) {
    CAPTURE(c.name);
    std::string name = "  " + c.name;
    name.resize(14, ' ');
    CHECK(text.find("\n" + name + c.summary + "\n") != std::string::npos);
  }
}

TEST_CASE("a command's help has its usage and documents every option") {
  for (const auto& c : cli::commands()) {
    CAPTURE(c.name);
    auto text = cli::command_help(c);
    CHECK(text.rfind("usage: " + c.usage + "\n", 0) == 0);
    for (const auto& o : c.options) {
      CAPTURE(o.name);
      CHECK(text.find("--" + o.name + (o.takes_value ? " " + o.value_name : "")) != std::string::npos);
      CHECK(text.find(o.help + "\n") != std::string::npos);
    }
  }
}
