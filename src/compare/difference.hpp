// One difference between two runs (or between a run and a baseline), in one of three layers,
// and the differences of one scenario: what `bbx diff`, `bbx run --against`, --json and
// diff.html report. docs/comparing-runs.md documents the JSON form (versioned with the
// diff's "format").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compare/run_profile.hpp"

namespace bbx::compare {

enum class Layer {
  behaviour = 1,  // outcomes, sequences per source, requests/metrics as multisets, order
  counts = 2,     // per route and status, per metric, per level and template
  numbers = 3,    // durations, readiness, latencies, resource peaks
};
const char* layer_name(Layer layer);  // "behaviour", "counts", "numbers"

struct Difference {
  Layer layer = Layer::behaviour;
  std::string where;    // the lane, outcome, count or number: "subject 'app' stderr"
  std::string message;  // one line: what changed, precisely
  // More lines: "- text" only in A (the baseline), "+ text" only in B, "  text" context.
  std::vector<std::string> detail;
  std::uint64_t seq_a = 0, seq_b = 0;  // where to look in each journal (0: nowhere)
  int rank = 0;                        // order within the layer, most significant first
  // Numbers: the values compared (A, or the baseline's median) and the effect.
  std::optional<double> a, b;
  std::string unit;                    // "ns", "bytes", "count", "value"
  std::optional<double> effect;        // robust z-score against a baseline
};

struct ScenarioDiff {
  std::string id;
  std::string a, b;                 // the journals (or the baseline) compared
  std::vector<Difference> differences;  // sorted: layer, then rank
  std::vector<std::string> notes;   // what the reader should know (cut journals, few baseline runs)
  bool only_in_a = false, only_in_b = false;  // scenario ran on one side only

  bool same() const { return differences.empty() && !only_in_a && !only_in_b; }
  void sort();
};

nlohmann::ordered_json to_json(const Difference& d);
nlohmann::ordered_json to_json(const ScenarioDiff& d);

// "12.3ms", "4.5MiB", "17", "0.42" by unit.
std::string format_number(double value, const std::string& unit);

// The numbers judged inside only because a busier machine stretched their interval, for a
// note: "2 durations <how>: a, b" (the first 5 named, then "...").
std::string spared_durations(const std::vector<std::string>& keys, const std::string& how);

}  // namespace bbx::compare
