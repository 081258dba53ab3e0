// Splitting a run's scenarios into N shards, for CI systems that run N jobs in parallel
// (`bbx run --shard K/N`). Every shard computes the same split from the same inputs, so the
// shards together run each scenario exactly once.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace bbx::cli {

struct Shard {
  int index = 1;  // K: 1-based
  int count = 1;  // N
};

// "K/N" with 1 <= K <= N <= 1000. Throws bbx::Error (invalid_input) naming --shard.
Shard parse_shard(const std::string& text);

// The positions (into ids) of the scenarios shard `shard` runs, in their original order.
// Without durations: the ids sorted, dealt round-robin (equal counts). With durations (ms,
// by id, from an earlier run's JSON report): longest first to the least loaded shard, ties
// by id; an id without a duration counts as the median of the known ones.
std::vector<std::size_t> shard_positions(const std::vector<std::string>& ids, const Shard& shard,
                                         const std::map<std::string, double>& durations_ms);

// Scenario durations by id from a JSON report (summary.json or --json FILE). Throws
// bbx::Error (invalid_input) "--durations: ..." when the file is not one.
std::map<std::string, double> durations_from_report(const std::string& path);

}  // namespace bbx::cli
