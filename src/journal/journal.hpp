// The journal of one scenario run: appends events to events.jsonl as they happen and keeps
// an index that queries read and "eventually" waits block on.
//
// Contracts:
// - append() is thread-safe. It stamps seq (dense, from 1), t_ns (monotonic, since the
//   journal's start) and wall, indexes the event, writes it as one line on an O_APPEND
//   descriptor (whole lines only, in seq order, so the file is line-atomic and as complete
//   as the run got even if the process is killed), then notifies observers and waiters.
// - Writes are immediate (one write(2) per append) unless deferred: between
//   defer_writes(schedule) and defer_writes(nullptr) lines are queued in memory (already
//   indexed and readable through the journal) and written together by flush(), which the
//   owner's event loop runs once per burst (schedule() is called when the queue becomes
//   non-empty). The queue is also written when it exceeds 1 MiB, before an eviction, by
//   append_batch(), by defer_writes(nullptr) and by the destructor; so a killed process
//   loses at most the current loop turn's events.
// - Memory is bounded: the newest events are kept parsed in memory up to a byte budget;
//   older ones stay reachable through for_each(), which re-reads them from the file.
// - Waiting never sleeps on a timer to poll: wait_until() re-evaluates its predicate only
//   when an event is appended (or when notify_external() is called for a live probe).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "bbx/event.hpp"

namespace bbx::journal {

struct JournalOptions {
  std::size_t memory_budget_bytes = 64u << 20;  // parsed events kept in memory
};

class Journal {
 public:
  using Observer = std::function<void(const Event&)>;

  // Creates (truncates) path. Throws bbx::Error (harness) when it cannot be opened.
  // start_monotonic_ns / start_realtime_ns: the run's time origin (0 = now).
  explicit Journal(const std::filesystem::path& path, JournalOptions options = {},
                   std::int64_t start_monotonic_ns = 0, std::int64_t start_realtime_ns = 0);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Returns the new event's seq. Throws bbx::Error (harness) if the write fails.
  std::uint64_t append(EventSource source, std::string type, nlohmann::json body,
                       nlohmann::json attrs = nlohmann::json::object());

  // Appends several events as consecutive seqs with one lock and one write(2): for hot
  // paths (the statsd receive thread). Each event keeps its own line; the contract is
  // append()'s, applied to each event in order. Returns the first seq (0 when empty).
  struct Pending {
    EventSource source;
    std::string type;
    nlohmann::json body;
  };
  std::uint64_t append_batch(std::vector<Pending>&& events);

  // Deferral of writes (see the contract above); null writes the queue and ends deferral.
  void defer_writes(std::function<void()> schedule);
  // Writes the queued lines (one write(2)). Throws bbx::Error (harness) if the write fails.
  void flush();

  std::uint64_t size() const;                  // number of events appended
  std::int64_t now_ns() const;                 // t_ns an event appended now would get
  const std::filesystem::path& path() const { return path_; }

  // Calls fn(event) for each event with seq >= from_seq, in seq order, until fn returns
  // false. Events appended while iterating are included. Safe from any thread.
  void for_each(std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const;
  // One event by seq (re-read from disk if evicted). Throws std::out_of_range.
  Event at(std::uint64_t seq) const;

  // Observers run synchronously in the appending thread, after the lock is released, in
  // registration order. The returned id removes it. Observers must not append.
  int add_observer(Observer observer);
  void remove_observer(int id);

  // Blocks until pred() is true (returns true) or the deadline passes (returns false).
  // pred is evaluated now and after every append/notify_external, under no journal lock.
  bool wait_until(const std::function<bool()>& pred, std::chrono::steady_clock::time_point deadline);
  // Wakes waiters without an event (a live probe changed state).
  void notify_external();

 private:
  struct Cached {
    std::uint64_t seq;
    std::shared_ptr<const Event> event;
    std::size_t bytes;
  };
  Event read_from_disk(std::uint64_t seq) const;
  void evict_locked();
  void queue_locked(const std::string& lines);  // writes at once unless deferring
  void write_pending_locked();

  std::filesystem::path path_;
  JournalOptions options_;
  int fd_ = -1;
  std::int64_t start_mono_ns_;
  std::int64_t start_real_ns_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;        // bumped on append/notify
  std::vector<std::uint64_t> offsets_;  // offsets_[seq-1] = byte offset of its line
  std::uint64_t file_size_ = 0;         // including the queued lines
  std::string pending_;                 // queued lines, not yet written
  std::function<void()> schedule_flush_;  // set while deferring
  std::deque<Cached> cache_;            // newest events, contiguous seqs
  std::size_t cache_bytes_ = 0;
  std::vector<std::pair<int, Observer>> observers_;
  int next_observer_id_ = 1;
};

}  // namespace bbx::journal
