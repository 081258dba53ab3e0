// The bounded Myers diff of lanes: a minimal script that turns A into B, and the fallback
// past the bound.
#include <doctest/doctest.h>

#include <random>

#include "compare/sequence_diff.hpp"

using namespace bbx::compare;

namespace {

// Applies a script to a, checking it only keeps equal runs, and returns the result.
std::vector<std::uint64_t> apply(const EditScript& s, const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                                 std::size_t& changes) {
  std::vector<std::uint64_t> out;
  changes = 0;
  std::size_t ia = 0, ib = 0;
  for (const auto& e : s.edits) {
    if (e.kind == Edit::equal) {
      REQUIRE(e.a == ia);
      REQUIRE(e.b == ib);
      for (std::size_t k = 0; k < e.n; ++k) {
        REQUIRE(a[e.a + k] == b[e.b + k]);
        out.push_back(a[e.a + k]);
      }
      ia += e.n;
      ib += e.n;
    } else if (e.kind == Edit::remove) {
      REQUIRE(e.a == ia);
      ia += e.n;
      changes += e.n;
    } else {
      REQUIRE(e.b == ib);
      for (std::size_t k = 0; k < e.n; ++k) out.push_back(b[e.b + k]);
      ib += e.n;
      changes += e.n;
    }
  }
  CHECK(ia == a.size());
  CHECK(ib == b.size());
  return out;
}

}  // namespace

TEST_CASE("equal sequences are one equal run; a one-item change is found exactly") {
  std::vector<std::uint64_t> a{1, 2, 3, 4, 5};
  auto s = diff_sequences(a, a);
  REQUIRE(s.edits.size() == 1);
  CHECK(s.edits[0].kind == Edit::equal);
  std::vector<std::uint64_t> b{1, 2, 9, 4, 5, 6};
  s = diff_sequences(a, b);
  std::size_t changes = 0;
  CHECK(apply(s, a, b, changes) == b);
  CHECK(changes == 3);  // 3 removed, 9 and 6 inserted
  CHECK(s.aligned);
}

TEST_CASE("random edits: the script rebuilds B and is no longer than the edits made") {
  std::mt19937 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::uint64_t> a;
    for (int i = 0; i < 60; ++i) a.push_back(rng() % 8);
    auto b = a;
    int edits = int(rng() % 6);
    for (int k = 0; k < edits && !b.empty(); ++k) {
      auto pos = rng() % b.size();
      if (rng() % 2) b.erase(b.begin() + long(pos));
      else b.insert(b.begin() + long(pos), 100 + rng() % 5);
    }
    auto s = diff_sequences(a, b);
    std::size_t changes = 0;
    CHECK(apply(s, a, b, changes) == b);
    CHECK(changes <= std::size_t(edits));
  }
}

TEST_CASE("past the bound the middle is one replaced block, still a valid script") {
  std::vector<std::uint64_t> a, b;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    a.push_back(i);
    b.push_back(i % 3 == 0 ? i : i + 100000);
  }
  auto s = diff_sequences(a, b, 50);
  CHECK_FALSE(s.aligned);
  std::size_t changes = 0;
  CHECK(apply(s, a, b, changes) == b);
}

TEST_CASE("empty sides") {
  std::vector<std::uint64_t> none, some{1, 2};
  std::size_t changes = 0;
  CHECK(apply(diff_sequences(none, some), none, some, changes) == some);
  CHECK(changes == 2);
  CHECK(apply(diff_sequences(some, none), some, none, changes).empty());
  CHECK(diff_sequences(none, none).edits.empty());
}
