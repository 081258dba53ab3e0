#include "cli/shard.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "bbx/error.hpp"

namespace bbx::cli {

Shard parse_shard(const std::string& text) {
  Shard s;
  auto slash = text.find('/');
  auto number = [&](std::string_view part, int& out) {
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), out);
    return ec == std::errc() && ptr == part.data() + part.size();
  };
  std::string_view all(text);
  if (slash == std::string::npos || !number(all.substr(0, slash), s.index) || !number(all.substr(slash + 1), s.count) ||
      s.count < 1 || s.count > 1000 || s.index < 1 || s.index > s.count)
    fail_input({}, "--shard: expected K/N with 1 <= K <= N <= 1000 (e.g. 2/4), got '" + text + "'");
  return s;
}

std::vector<std::size_t> shard_positions(const std::vector<std::string>& ids, const Shard& shard,
                                         const std::map<std::string, double>& durations_ms) {
  std::vector<std::size_t> order(ids.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::vector<int> owner(ids.size(), 0);
  if (durations_ms.empty()) {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
    for (std::size_t i = 0; i < order.size(); ++i) owner[order[i]] = static_cast<int>(i % std::size_t(shard.count));
  } else {
    std::vector<double> known;
    for (const auto& [id, ms] : durations_ms) known.push_back(ms);
    std::sort(known.begin(), known.end());
    double median = known[known.size() / 2];
    auto cost = [&](std::size_t i) {
      auto it = durations_ms.find(ids[i]);
      return it == durations_ms.end() ? median : it->second;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      double ca = cost(a), cb = cost(b);
      return ca != cb ? ca > cb : ids[a] < ids[b];
    });
    std::vector<double> load(std::size_t(shard.count), 0.0);
    for (auto i : order) {
      auto least = std::min_element(load.begin(), load.end()) - load.begin();  // first of equals: lowest shard
      owner[i] = static_cast<int>(least);
      load[std::size_t(least)] += cost(i);
    }
  }
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (owner[i] == shard.index - 1) mine.push_back(i);
  return mine;
}

std::map<std::string, double> durations_from_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail_input({}, "--durations: cannot read '" + path + "'");
  std::map<std::string, double> out;
  try {
    auto j = nlohmann::json::parse(in);
    for (const auto& s : j.at("scenarios")) out[s.at("id").get<std::string>()] = s.at("duration_ms").get<double>();
  } catch (const nlohmann::json::exception& e) {
    fail_input({path}, "--durations: not a bbx JSON report: " + std::string(e.what()));
  }
  return out;
}

}  // namespace bbx::cli
