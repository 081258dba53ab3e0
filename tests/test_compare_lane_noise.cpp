// Noise inside one lane learned from a baseline's runs (compare/lane_noise.hpp): the items
// whose position moved (order noise), and the numeric tokens of a line that took other values
// between the runs (value noise), while a numeric token equal in every run stays exact.
#include <doctest/doctest.h>

#include <algorithm>

#include "compare/lane_noise.hpp"

using namespace bbx::compare;

TEST_CASE("order noise: the items that moved float, the others keep their order in every run") {
  CHECK(floating_items({{1, 2, 3, 4}, {1, 2, 3, 4}}).empty());
  auto moved = floating_items({{1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, {1, 3, 2, 4, 5}, {1, 2, 3, 5, 4}});
  CHECK_FALSE(moved.count(1));
  CHECK((moved.count(2) || moved.count(3)));
  CHECK((moved.count(4) || moved.count(5)));
  // What does not float is in the same order in every run.
  for (const auto& run : std::vector<std::vector<std::uint64_t>>{{1, 2, 3, 4, 5}, {1, 3, 2, 4, 5}, {1, 2, 3, 5, 4}}) {
    std::vector<std::uint64_t> stay;
    for (auto h : run)
      if (!moved.count(h)) stay.push_back(h);
    CHECK(stay.size() == 5 - moved.size());
    CHECK(std::is_sorted(stay.begin(), stay.end()));
  }
}

// Items of one run, each its own group (as lines of templates that merged nothing).
std::vector<NoisyItem> own(const std::vector<std::string>& texts) {
  std::vector<NoisyItem> out;
  for (const auto& t : texts) out.push_back({t, std::string_view(t).substr(0, t.find(' '))});  // views into texts
  return out;
}

TEST_CASE("value noise: a numeric token that took other values between the runs; one that did not stays exact") {
  std::vector<std::string> a = {"Server started, pid 12", "used_memory 1024 bytes", "keys loaded: 2"};
  std::vector<std::string> b = {"Server started, pid 15", "used_memory 1088 bytes", "keys loaded: 2"};
  auto shapes = value_noise_shapes({own(a), own(b)});
  CHECK(shapes == std::vector<std::string>{"Server started, pid <#>", "used_memory <#> bytes"});
  CHECK(shape_covers("used_memory <#> bytes", "used_memory 2048 bytes"));
  CHECK(shape_covers("used_memory <#> bytes", "used_memory 2.1M bytes"));
  CHECK_FALSE(shape_covers("used_memory <#> bytes", "used_memory many bytes"));  // not a number
  CHECK_FALSE(shape_covers("used_memory <#> bytes", "used_memory 2048 kilobytes"));
  CHECK_FALSE(shape_covers("used_memory <#> bytes", "used_memory 2048 bytes now"));
}

TEST_CASE("value noise: per group and position; a line printed more often in one run is not a value that varied") {
  std::vector<std::string> once = {"worker 1 up"}, twice = {"worker 1 up", "worker 1 up"};
  CHECK(value_noise_shapes({own(twice), own(once)}).empty());
  // Two numbers in one line: only the one that varied becomes <#>.
  std::vector<std::string> a = {"flushed 3 values in 12 ms"}, b = {"flushed 3 values in 17 ms"};
  auto shapes = value_noise_shapes({own(a), own(b)});
  CHECK(shapes == std::vector<std::string>{"flushed 3 values in <#> ms"});
  CHECK_FALSE(shape_covers(shapes[0], "flushed 4 values in 12 ms"));
  // A position that varied in one line of a template is noise for every line of it (haproxy's
  // log: its timers varied on /a, so they may vary on /b); a word there is never noise.
  std::string_view tmpl = "GET <*> <*> 200";
  std::vector<std::string> r1 = {"GET /a 0/0/1 200", "GET /b 0/0/0 200", "GET /c fast 200"};
  std::vector<std::string> r2 = {"GET /a 0/0/3 200", "GET /b 0/0/0 200", "GET /c fast 200"};
  auto group = [&](const std::vector<std::string>& texts) {
    std::vector<NoisyItem> out;
    for (const auto& t : texts) out.push_back({t, tmpl});
    return out;
  };
  CHECK(value_noise_shapes({group(r1), group(r2)}) == std::vector<std::string>{"GET /a <#> 200", "GET /b <#> 200"});
  // Lines without a digit have no value noise.
  std::vector<std::string> ready = {"ready"}, readies = {"ready", "ready"};
  CHECK(value_noise_shapes({own(ready), own(readies)}).empty());
}
