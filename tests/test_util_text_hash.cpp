// util::text_hash: equal texts hash equal, distinct texts (as many as a journal's) do not
// collide, and TextHash finds std::string keys by string_view.
#include <doctest/doctest.h>

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "util/text_hash.hpp"

using bbx::util::text_hash;

TEST_CASE("text_hash: equal texts, equal hashes; a million distinct texts, a million hashes") {
  std::string a = "GET /api/v1/items/35045 | headers=[Host: [PORT:api]]";
  std::string b = a;  // another buffer
  CHECK(text_hash(a) == text_hash(b));
  CHECK(text_hash("") == text_hash(std::string()));
  CHECK(text_hash(a) != text_hash(a.substr(0, a.size() - 1)));
  CHECK(text_hash(std::string_view("a\0b", 3)) != text_hash(std::string_view("a\0c", 3)));  // bytes, not C strings
  std::unordered_set<std::uint64_t> seen;
  for (int i = 0; i < 1000000; ++i) seen.insert(text_hash("line " + std::to_string(i)));
  CHECK(seen.size() == 1000000);
}

TEST_CASE("TextHash looks std::string keys up by string_view, without making a string") {
  std::unordered_map<std::string, int, bbx::util::TextHash, std::equal_to<>> m;
  m.emplace("fake 'api' responses route 0 -> 200", 7);
  std::string_view key = "fake 'api' responses route 0 -> 200";
  REQUIRE(m.find(key) != m.end());
  CHECK(m.find(key)->second == 7);
  CHECK(m.find(std::string_view("fake 'api' responses route 0 -> 500")) == m.end());
}
