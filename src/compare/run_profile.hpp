// What one scenario run did, as the comparison sees it: its journal read once (streamed
// through journal::EventLog) and reduced to normalised items in lanes, outcomes, counts and
// numbers. Two profiles of one scenario are compared by diff.hpp; N of them make a baseline
// (baseline.hpp). docs/comparing-runs.md describes the model for users.
//
//   lanes      one per source and stream: "subject 'app' stderr", "step 'http GET /x'",
//              "fake 'upstream' requests". Each item is one event (a statsd sample, for
//              metrics) normalised to an identity text (identity_text.hpp; the fields of
//              event_fields.hpp). Sequence lanes (what one process or step did) are
//              compared in order; multiset lanes (what a fake received) as multisets, and
//              requests and TCP messages also in order; metric lanes as multisets only.
//   outcomes   the verdict, every check's result, exits, steps' results.
//   counts     layer 2: responses per route and status, samples per metric, messages per
//              reply; lines per level and per template are added by count_lines()
//              (line_counts.hpp).
//   numbers    layer 3: step durations, readiness, median latencies per route, median
//              timer values, resource peaks, the scenario's duration.
//
// Memory: per item 32 bytes (hashes and where it is), and the texts of distinct items up to
// ProfileOptions::text_budget (line texts always, as templates need them); an item whose
// text is past the budget is found again by a second read (fetch_texts). Not the events.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "journal/event_log.hpp"
#include "util/text_hash.hpp"

namespace bbx::compare {

enum class LaneKind {
  sequence,         // compared in order
  multiset_ordered, // compared as a multiset, then in order when the multisets agree
  multiset,         // compared as a multiset only
};

struct Item {
  std::uint64_t hash = 0;  // of the identity text
  std::uint64_t head = 0;  // of its head ("GET /api/x", a line's template): pairs changed items
  std::uint64_t seq = 0;   // the event it came from
};

struct Lane {
  std::string name;       // "subject 'app' stderr"
  LaneKind kind = LaneKind::sequence;
  bool lines = false;     // output or log lines (templated)
  std::vector<Item> items;
};

enum class Unit { ns, bytes, count, value };

struct Number {
  Unit unit = Unit::ns;
  double value = 0;
  std::uint64_t seq = 0;
  // Elapsed (wall-clock) time: takes longer on a busier machine (cpu_pressure), unlike CPU time.
  bool elapsed = false;
};

struct Outcome {
  std::string value;      // "passed", "exited with code 0", "ok"
  std::uint64_t seq = 0;
  int rank = 0;           // significance: 0 verdict, 1 checks, 2 exits, 3 steps
};

struct Count {
  std::int64_t n = 0;
  std::uint64_t seq = 0;  // the first event counted
};

struct RunProfile {
  std::string id;                 // the scenario id (scenario.begin)
  std::filesystem::path journal;  // its events.jsonl
  std::uint64_t events = 0;
  std::string cut_tail;           // "" or what was wrong with a cut last line
  std::vector<Lane> lanes;
  std::map<std::string, Outcome> outcomes;
  std::map<std::string, Count> counts;
  std::map<std::string, Number> numbers;
  // scenario.end's cpu_pressure: the share of the run's time some task on the machine waited
  // for a CPU (probes/cpu_pressure.hpp); none in journals without it.
  std::optional<double> cpu_pressure;
  // Open addressing (one cache miss a lookup, no node per text: a journal of 1M events has
  // 300k+ distinct texts). A reference into them is valid until the next insertion.
  boost::unordered_flat_map<std::uint64_t, std::string> texts;  // item hash -> identity text
  boost::unordered_flat_map<std::uint64_t, std::string> heads;  // head hash -> head text
  bool texts_complete = true;     // false: some texts are past the budget

  const Lane* lane(const std::string& name) const;
  // The text of an item's hash, or "" when it is not kept.
  const std::string& text(std::uint64_t hash) const;
  const std::string& head(std::uint64_t hash) const;
};

struct ProfileOptions {
  std::size_t text_budget = 16u << 20;  // bytes of non-line texts kept
  // A second read: keep only these hashes' texts (and no budget).
  const std::unordered_set<std::uint64_t>* want = nullptr;
};

// Reads the journal at path once. Throws bbx::Error (invalid_input) when it cannot be read,
// is corrupt, or does not start with scenario.begin.
RunProfile build_profile(const std::filesystem::path& journal, const ProfileOptions& options = {});
// Reads the journal again and adds to profile.texts the texts of the hashes wanted.
void fetch_texts(RunProfile& profile, const std::unordered_set<std::uint64_t>& want);

// Items are keyed by util::text_hash of their texts (baselines store texts, not hashes).
using util::text_hash;

}  // namespace bbx::compare
