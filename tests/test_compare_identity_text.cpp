// An event's identity text (compare/identity_text.hpp): strings normalised in layers, with
// short texts that gave no numbered alias remembered, which must not change any result.
#include <doctest/doctest.h>

#include "compare/identity_text.hpp"

using namespace bbx::compare;

TEST_CASE("norm: roles, then masks; remembered texts normalise as they did, aliases stay per scope") {
  Roles roles;
  roles.add_port(41234, "upstream");
  IdentityText t(roles, Rules{});
  Aliases a;
  CHECK(t.norm("took 12ms on 41234", a) == "took [DURATION] on [PORT:upstream]");
  CHECK(t.norm("took 12ms on 41234", a) == "took [DURATION] on [PORT:upstream]");  // remembered
  CHECK(t.norm("x 11111111-1111-1111-1111-111111111111", a) == "x [UUID_1]");
  CHECK(t.norm("y 22222222-2222-2222-2222-222222222222", a) == "y [UUID_2]");
  CHECK(t.norm("y 22222222-2222-2222-2222-222222222222", a) == "y [UUID_2]");
  Aliases b;  // another scope numbers from 1 again: a text that gave an alias is never remembered
  CHECK(t.norm("y 22222222-2222-2222-2222-222222222222", b) == "y [UUID_1]");
  CHECK(t.norm("took 12ms on 41234", b) == "took [DURATION] on [PORT:upstream]");
  CHECK(t.norm(t.norm("y 22222222-2222-2222-2222-222222222222", b), b) == "y [UUID_1]");  // idempotent
}
