#include <doctest/doctest.h>

#include <string>

#include "fakes/http/wire_cache.hpp"

using namespace bbx;

namespace {

// Counts serializations; each returns a distinct text so a stale reuse is visible.
struct Serializer {
  int calls = 0;
  std::string operator()() { return "bytes#" + std::to_string(++calls); }
};

}  // namespace

TEST_CASE("the wire cache serializes once while response, version, keep-alive and body stay the same") {
  model::HttpResponse ok, created;
  std::string shared = "ok", other_shared = "ok";  // equal text, another body object
  fakes::ResponsePlan plan{&ok, 0, &shared, {}, {}};
  fakes::WireCache cache;
  Serializer s;
  auto get = [&](const fakes::ResponsePlan& p, unsigned version = 11, bool keep_alive = true) {
    return cache.bytes(p, version, keep_alive, [&] { return s(); });
  };
  CHECK(get(plan) == "bytes#1");
  CHECK(get(plan) == "bytes#1");
  CHECK(get(plan, 10) == "bytes#2");
  CHECK(get(plan, 10, false) == "bytes#3");
  CHECK(get(plan, 10, false) == "bytes#3");
  fakes::ResponsePlan other_response{&created, 0, &shared, {}, {}};
  CHECK(get(other_response, 10, false) == "bytes#4");
  fakes::ResponsePlan other_body{&created, 0, &other_shared, {}, {}};
  CHECK(get(other_body, 10, false) == "bytes#5");  // a shared body is matched by identity
  CHECK(s.calls == 5);
}

TEST_CASE("a filled (templated) body is matched by its text, never confused with a shared one") {
  model::HttpResponse tpl;
  std::string shared = "n=1";
  fakes::ResponsePlan first{&tpl, 0, nullptr, "n=1", {}};
  fakes::ResponsePlan same_text{&tpl, 0, nullptr, "n=1", {}};
  fakes::ResponsePlan next{&tpl, 0, nullptr, "n=2", {}};
  fakes::ResponsePlan as_shared{&tpl, 0, &shared, {}, {}};
  fakes::WireCache cache;
  Serializer s;
  auto get = [&](const fakes::ResponsePlan& p) { return cache.bytes(p, 11, true, [&] { return s(); }); };
  CHECK(get(first) == "bytes#1");
  CHECK(get(same_text) == "bytes#1");
  CHECK(get(next) == "bytes#2");
  CHECK(get(as_shared) == "bytes#3");  // same text "n=1" but shared: not the filled "n=2"
  CHECK(get(next) == "bytes#4");
}

TEST_CASE("an empty serialization is not taken for a cached one") {
  model::HttpResponse r;
  std::string body;
  fakes::ResponsePlan plan{&r, 0, &body, {}, {}};
  fakes::WireCache cache;
  int calls = 0;
  auto get = [&] { return cache.bytes(plan, 11, true, [&] { ++calls; return std::string(); }); };
  get();
  get();
  CHECK(calls == 2);
}
