// Line counts: templates learned from the lines of several profiles, counted per lane.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "compare/line_counts.hpp"

using namespace bbx::compare;

namespace {

// A profile of one output lane holding these lines in this order.
RunProfile profile_of(const std::vector<std::string>& lines) {
  RunProfile p;
  Lane lane{"subject 'app' stdout", LaneKind::sequence, true, {}};
  std::uint64_t seq = 0;
  for (const auto& l : lines) {
    Item it{text_hash(l), text_hash(l), ++seq};
    lane.items.push_back(it);
    p.texts.emplace(it.hash, l);
  }
  p.lanes.push_back(std::move(lane));
  return p;
}

std::vector<std::string> templates(const TemplateMiner& m) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m.size(); ++i) out.push_back(m.template_of(i));
  return out;
}

}  // namespace

TEST_CASE("learn_lines learns the distinct lines of every profile in sorted order, however many") {
  // More lines than kLinesSortedOnTwoThreads (sorted in two halves on two threads), in an order
  // of their own on each side, with lines on both sides: the templates must be those of the
  // distinct lines learned one by one in sorted order.
  std::mt19937 rng(17);
  std::vector<std::string> words = {"GET", "POST", "WARN", "ERROR", "served", "slow", "retry", "cache"};
  std::vector<std::string> a, b;
  for (std::size_t i = 0; i < 2 * kLinesSortedOnTwoThreads; ++i) {
    std::string line = words[rng() % words.size()] + " " + words[rng() % words.size()] + " item" +
                       std::to_string(rng() % 5000) + " " + words[rng() % words.size()];
    for (std::size_t k = 0; k < rng() % 3; ++k) line += " tail" + std::to_string(k);
    (i % 3 ? a : b).push_back(line);
    if (i % 7 == 0) (i % 3 ? b : a).push_back(line);  // seen on both sides
  }
  std::shuffle(a.begin(), a.end(), rng);
  std::shuffle(b.begin(), b.end(), rng);
  RunProfile pa = profile_of(a), pb = profile_of(b);
  TemplateMiner learned;
  learn_lines({&pa, &pb}, learned);

  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  REQUIRE(all.size() > kLinesSortedOnTwoThreads);
  TemplateMiner expected;
  for (const auto& l : all) expected.add(l);
  CHECK(learned.size() == expected.size());
  CHECK(templates(learned) == templates(expected));
  // Which side comes first does not matter either.
  TemplateMiner swapped;
  learn_lines({&pb, &pa}, swapped);
  CHECK(templates(swapped) == templates(expected));
}

TEST_CASE("count_lines counts each lane's lines per template and per level, on two threads with one miner") {
  RunProfile pa = profile_of({"ERROR disk full on sda1", "ERROR disk full on sdb2", "served item x", "served item y"});
  RunProfile pb = profile_of({"ERROR disk full on sdc3", "served item z"});
  TemplateMiner m;
  const LineClusters clusters = learn_lines({&pa, &pb}, m);
  std::thread other([&] { count_lines(pb, m, clusters); });
  count_lines(pa, m, clusters);
  other.join();
  CHECK(pa.counts.at("subject 'app' stdout lines like 'ERROR disk full on <*>'").n == 2);
  CHECK(pa.counts.at("subject 'app' stdout lines at level error").n == 2);
  CHECK(pb.counts.at("subject 'app' stdout lines like 'ERROR disk full on <*>'").n == 1);
  CHECK(pb.counts.at("subject 'app' stdout lines like 'served item <*>'").n == 1);
  CHECK(pb.counts.at("subject 'app' stdout lines at level error").n == 1);
}

TEST_CASE("learn_lines gives the cluster each distinct line joined; count_lines counts by it, or matches a line it lacks") {
  RunProfile pa = profile_of({"ERROR disk full on sda1", "served item x", "ERROR disk full on sdb2"});
  RunProfile pb = profile_of({"served item y", "ERROR disk full on sda1"});
  TemplateMiner m;
  const LineClusters clusters = learn_lines({&pa, &pb}, m);
  REQUIRE(clusters.size() == 4);  // distinct lines of both sides
  for (const auto* line : {"ERROR disk full on sda1", "ERROR disk full on sdb2"})
    CHECK(m.template_of(clusters.at(text_hash(line))) == "ERROR disk full on <*>");
  CHECK(m.template_of(clusters.at(text_hash("served item y"))) == "served item <*>");
  // Without the clusters (a line learn_lines was not given), the templates are matched.
  RunProfile pc = profile_of({"ERROR disk full on sdz9", "served item q"});
  count_lines(pc, m, LineClusters{});
  CHECK(pc.counts.at("subject 'app' stdout lines like 'ERROR disk full on <*>'").n == 1);
  CHECK(pc.counts.at("subject 'app' stdout lines like 'served item <*>'").n == 1);
}
