#include <doctest/doctest.h>

#include "bbx/error.hpp"
#include "scenario/variables.hpp"

using namespace bbx;
using namespace bbx::scenario;

namespace {
model::Template t(const std::string& text) { return {text, {"s.yaml", 4, 7}}; }
}  // namespace

TEST_CASE("referenced variables are found in order") {
  CHECK(referenced_variables(t("a ${x} b ${ fakes.up.port }")) == std::vector<std::string>{"x", "fakes.up.port"});
  CHECK(referenced_variables(t("literal $${x}")).empty());
}

TEST_CASE("known variables pass, unknown ones fail with a suggestion") {
  KnownNames known{{"up"}, {"app"}, {"level"}, {"token"}};
  CHECK_NOTHROW(check_variables(
      t("${fakes.up.url} ${subjects.app.pid} ${sandbox} ${env.HOME} ${level} ${captures.token}"), known));
  CHECK_THROWS_AS(check_variables(t("${captures.level}"), known), Error);  // captures only
  try {
    check_variables(t("${fakes.upp.port}"), known);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.formatted() == "s.yaml:4:7: unknown variable '${fakes.upp.port}'; did you mean '${fakes.up.port}'?");
  }
  CHECK_THROWS_AS(check_variables(t("${unterminated"), known), Error);
  CHECK_THROWS_AS(check_variables(t("${}"), known), Error);
}

TEST_CASE("expand substitutes values and keeps escaped dollars") {
  auto lookup = [](const std::string& n) -> std::optional<std::string> {
    if (n == "port") return "8080";
    return std::nullopt;
  };
  CHECK(expand(t("127.0.0.1:${port}/$${port}"), lookup) == "127.0.0.1:8080/${port}");
  CHECK_THROWS_AS(expand(t("${missing}"), lookup), Error);
}

TEST_CASE("expand_integer: a literal as is; an expansion must be an integer in range, else an error at the field") {
  auto lookup = [](const std::string& n) -> std::optional<std::string> {
    if (n == "ports.web") return "41234";
    if (n == "proto") return "http";
    return std::nullopt;
  };
  CHECK(expand_integer(model::IntField{8080}, lookup) == 8080);
  model::IntField port{0, t("${ports.web}"), 1, 65535, "expect[0].listening.port"};
  CHECK(expand_integer(port, lookup) == 41234);
  port.text = t("${proto}");
  try {
    expand_integer(port, lookup);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::invalid_input);
    CHECK(e.formatted() == "s.yaml:4:7: expect[0].listening.port: '${proto}' is 'http', not an integer");
  }
  port.text = t("${ports.web}0");
  try {
    expand_integer(port, lookup);
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.formatted() == "s.yaml:4:7: expect[0].listening.port: '${ports.web}0' is 412340, out of range 1..65535");
  }
}
