// Finding the scenario journals a comparison is given: a run directory (its summary.json
// lists each scenario, and each attempt of a repeated one), a scenario directory (holding
// events.jsonl), or an events.jsonl file. Pairs two sides' journals by scenario id and
// attempt, so matrix variants meet their own counterparts.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bbx::compare {

struct ScenarioJournal {
  std::string id;                // from scenario.begin
  int attempt = 1;               // 1 unless the run repeated its scenarios (--repeat)
  std::filesystem::path journal; // .../events.jsonl
};

// The journals at path, in the run's scenario order (a directory scan's order when there is
// no summary.json). Throws bbx::Error (invalid_input) when path holds none, or a journal
// named by summary.json is missing or unreadable.
std::vector<ScenarioJournal> find_journals(const std::filesystem::path& path);

struct JournalPair {
  std::string id;
  int attempt = 1;
  std::optional<std::filesystem::path> a, b;  // one may be missing: the scenario ran on one side only
};

// Pairs by (id, attempt), in A's order, then B's leftovers. When each side is a single
// journal they are paired whatever their ids (comparing two scenarios on purpose).
std::vector<JournalPair> pair_journals(const std::vector<ScenarioJournal>& a, const std::vector<ScenarioJournal>& b);

}  // namespace bbx::compare
