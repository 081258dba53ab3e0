#include <doctest/doctest.h>

#include <stdexcept>

#include "sandbox/config_edit.hpp"

using namespace bbx::sandbox;
using Op = bbx::model::ConfigEdit::Op;
using Type = bbx::model::ConfigEdit::Type;

TEST_CASE("json edits set typed values by dotted path and remove keys") {
  auto out = edit_json(R"({"a": {"b": 1}, "gone": true})", {{Op::set, "a.c", Type::number, "70000"},
                                                             {Op::set, "a.b", Type::string, "x"},
                                                             {Op::set, "n.m", Type::null, ""},
                                                             {Op::set, "e", Type::empty, ""},
                                                             {Op::set, "t", Type::boolean, "true"},
                                                             {Op::remove, "gone", Type::string, ""},
                                                             {Op::remove, "no.such", Type::string, ""}});
  CHECK(out == "{\n  \"a\": {\n    \"b\": \"x\",\n    \"c\": 70000\n  },\n  \"e\": \"\",\n  \"n\": {\n    \"m\": null\n  },\n"
               "  \"t\": true\n}\n");
  CHECK_THROWS_WITH_AS(edit_json("{", {}), doctest::Contains("not valid JSON"), std::runtime_error);
  CHECK_THROWS_WITH_AS(edit_json("{}", {{Op::set, "a", Type::number, "ten"}}), "'a': 'ten' is not a number",
                       std::runtime_error);
  CHECK_THROWS_AS(edit_json(R"({"a": 1})", {{Op::set, "a.b", Type::string, "x"}}), std::runtime_error);
}

TEST_CASE("yaml edits keep strings quoted and other types plain") {
  auto out = edit_yaml("server:\n  port: 1\nold: x\n", {{Op::set, "server.port", Type::string, "8080"},
                                                        {Op::set, "server.tls", Type::boolean, "false"},
                                                        {Op::set, "a.b", Type::number, "3"},
                                                        {Op::remove, "old", Type::string, ""}});
  CHECK(out == "server:\n  port: \"8080\"\n  tls: false\na:\n  b: 3\n");
}

TEST_CASE("ini edits replace, add to sections, create sections and remove") {
  auto out = edit_ini("top = 1\n[server]\nport = 1\nname = a\n[other]\nx = y\n",
                      {{Op::set, "server.port", Type::number, "8080"},
                       {Op::set, "server.mode", Type::string, "fast"},
                       {Op::set, "top", Type::string, "2"},
                       {Op::set, "new.k", Type::empty, ""},
                       {Op::remove, "server.name", Type::string, ""}});
  CHECK(out == "top = 2\n[server]\nport = 8080\nmode = fast\n[other]\nx = y\n[new]\nk = \n");
}
