// A journal read from its events.jsonl after (or while) its run wrote it: the EventLog of a
// stored run, for the views (timeline, diff, reports) and for evaluating expectations after
// the fact. Streams the file in chunks: memory is bounded (one chunk, the longest line, and
// an index of every 128th line's offset) whatever the journal's size.
//
// A run killed mid-write can leave a cut last line: scans stop before it and tail_problem()
// says what was wrong; a bad line with lines after it is corruption (bbx::Error,
// invalid_input, "path:line:1: ..."). Line N holds seq N (the writer's contract), which is
// how from_seq and at() find their place without parsing. Thread-safe.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <vector>

#include "journal/event_log.hpp"
#include "journal/line_scan.hpp"

namespace bbx::journal {

class StoredJournal final : public EventLog {
 public:
  // Throws bbx::Error (invalid_input) when path is not a readable regular file.
  explicit StoredJournal(std::filesystem::path path);

  std::uint64_t for_each_of(const TypeFilter& types, std::uint64_t from_seq, const Visit& fn) const override;
  // Views of the lines themselves (journal/event_ref.hpp): no tree is built per event.
  std::uint64_t for_each_ref_of(const TypeFilter& types, std::uint64_t from_seq, const RefVisit& fn) const override;
  // Counts the complete lines (one scan, then remembered; a file still growing is not re-counted).
  std::uint64_t size() const override;
  Event at(std::uint64_t seq) const override;

  // Set by a scan that reached a cut-off last line: its number and what is wrong with it.
  std::optional<TailProblem> tail_problem() const;
  const std::filesystem::path& path() const { return path_; }

  static constexpr std::uint64_t kIndexEvery = 128;

 private:
  template <class Ev, class Scan>
  std::uint64_t scan(std::uint64_t from_seq, Scan scan_range) const;
  LineScan start_for(std::uint64_t from_seq) const;
  void note_line(std::uint64_t offset, std::uint64_t line) const;

  std::filesystem::path path_;
  mutable std::mutex mutex_;
  mutable std::vector<std::uint64_t> index_{0};  // index_[i]: offset of line i * kIndexEvery + 1
  mutable std::optional<std::uint64_t> size_;
  mutable std::optional<TailProblem> tail_;
};

}  // namespace bbx::journal
