// Drain-style log templates: grouping, matching without learning, levels.
#include <doctest/doctest.h>

#include "compare/log_templates.hpp"

using namespace bbx::compare;

TEST_CASE("lines from one template join one cluster; its variable positions become <*>") {
  TemplateMiner m;
  auto a = m.add("request GET /api/x took [DURATION]");
  auto b = m.add("request GET /api/y took [DURATION]");
  CHECK(a == b);
  CHECK(m.template_of(a) == "request GET <*> took [DURATION]");
  // The first two tokens lead through the tree: a line that differs in them is another template.
  auto c = m.add("request POST /api/y took [DURATION]");
  CHECK(c != a);
  auto other = m.add("shutting down on SIGTERM");
  CHECK(other != a);
  CHECK(m.template_of(other) == "shutting down on SIGTERM");
  CHECK(m.size() == 3);
}

TEST_CASE("different token counts and different first words are different templates") {
  TemplateMiner m;
  auto a = m.add("error: upstream failed: Connection reset by peer");
  auto b = m.add("error: disk almost full");
  auto c = m.add("listening on 127.0.0.1:[PORT:app]");
  CHECK(a != b);
  CHECK(a != c);
  CHECK(m.add("error: disk almost gone") == b);  // 3 of 4 tokens equal
  CHECK(m.template_of(b) == "error: disk almost <*>");
}

TEST_CASE("match finds the template covering a line without learning from it") {
  TemplateMiner m;
  m.add_template("request <*> /api/<*>");
  auto id = m.add_template("user <*> logged in");
  CHECK(m.match("user 42 logged in") == id);
  CHECK_FALSE(m.match("user 42 logged out"));
  CHECK_FALSE(m.match("user 42 logged in again"));
  CHECK(m.size() == 2);
  CHECK(m.add_template("user <*> logged in") == id);  // the same template twice is one
}

TEST_CASE("numbers in the first tokens do not split templates") {
  TemplateMiner m;
  auto a = m.add("42 requests served");
  auto b = m.add("43 requests served");
  CHECK(a == b);
  CHECK(m.template_of(a) == "<*> requests served");
}

TEST_CASE("an empty line and a very long one are templates too") {
  TemplateMiner m;
  CHECK(m.template_of(m.add("")) == "");
  std::string longline;
  for (int i = 0; i < 1000; ++i) longline.append("w").append(std::to_string(i % 7)).append(" ");
  auto id = m.add(longline);
  CHECK(m.match(longline) == id);
}

TEST_CASE("levels come from the first level word") {
  CHECK(level_of("error: upstream failed") == "error");
  CHECK(level_of("2026-12-06 [WARN] disk") == "warn");
  CHECK(level_of("level=debug msg=x") == "debug");
  CHECK(level_of("FATAL crashing on start") == "fatal");
  CHECK(level_of("request GET /errors") == "");  // "errors" is not a level word
  CHECK(level_of("listening on 127.0.0.1:8080") == "");
}
