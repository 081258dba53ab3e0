// Sharding: each scenario falls to exactly one shard, the same one in every job, and
// durations balance the shards.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "bbx/error.hpp"
#include "cli/shard.hpp"

using namespace bbx::cli;

namespace {

std::vector<std::string> ids(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("scenario " + std::to_string((i * 7919) % 101));
  return out;
}

}  // namespace

TEST_CASE("K/N is parsed and checked") {
  CHECK(parse_shard("2/4").index == 2);
  CHECK(parse_shard("2/4").count == 4);
  for (const char* bad : {"0/4", "5/4", "1/0", "x/2", "1/", "/2", "1-2", "2/4x"})
    CHECK_THROWS_WITH_AS(parse_shard(bad), doctest::Contains("--shard: expected K/N"), bbx::Error);
}

TEST_CASE("the shards partition the scenarios, with equal counts, whatever order the list came in") {
  auto all = ids(23);
  std::set<std::size_t> seen;
  std::vector<std::size_t> sizes;
  for (int k = 1; k <= 4; ++k) {
    auto mine = shard_positions(all, {k, 4}, {});
    sizes.push_back(mine.size());
    for (auto i : mine) CHECK(seen.insert(i).second);
    CHECK(std::is_sorted(mine.begin(), mine.end()));
  }
  CHECK(seen.size() == all.size());
  CHECK(*std::max_element(sizes.begin(), sizes.end()) - *std::min_element(sizes.begin(), sizes.end()) <= 1);
  // The same ids listed in another order: each id lands in the same shard.
  auto reversed = all;
  std::reverse(reversed.begin(), reversed.end());
  for (int k = 1; k <= 4; ++k) {
    std::set<std::string> a, b;
    for (auto i : shard_positions(all, {k, 4}, {})) a.insert(all[i]);
    for (auto i : shard_positions(reversed, {k, 4}, {})) b.insert(reversed[i]);
    CHECK(a == b);
  }
}

TEST_CASE("durations balance the shards: longest first to the least loaded; unknown ones count as the median") {
  std::vector<std::string> all = {"a", "b", "c", "d", "e", "new"};
  std::map<std::string, double> ms = {{"a", 100}, {"b", 60}, {"c", 50}, {"d", 40}, {"e", 10}};
  auto one = shard_positions(all, {1, 2}, ms);
  auto two = shard_positions(all, {2, 2}, ms);
  auto load = [&](const std::vector<std::size_t>& mine) {
    double t = 0;
    for (auto i : mine) t += ms.count(all[i]) ? ms[all[i]] : 50;
    return t;
  };
  CHECK(one.size() + two.size() == all.size());
  // Longest first: a(100)->1, b(60)->2, c(50)->2, new(50, the median)->1, d(40)->2, e(10)->1 (a tie: the lower shard).
  CHECK(load(one) == 160);
  CHECK(load(two) == 150);
  std::set<std::string> first;
  for (auto i : one) first.insert(all[i]);
  CHECK(first == std::set<std::string>{"a", "new", "e"});
}
