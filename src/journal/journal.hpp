// The journal of one scenario run: appends events to events.jsonl as they happen and keeps
// an index that queries read and "eventually" waits block on.
//
// Contracts:
// - append() is thread-safe. It stamps seq (dense, from 1), t_ns (monotonic, since the
//   journal's start) and wall, indexes the event (readable at once through the journal),
//   notifies observers and waiters, and has it written as one line on an O_APPEND
//   descriptor: whole lines only, in seq order, so the file is line-atomic and as complete
//   as the run got even if the process is killed.
// - Who writes: by default the appending thread, one write(2) per append(_batch). After
//   write_in_background() a writer thread owned by the journal serializes and writes
//   whatever has been appended in batches, off the appenders' threads (the HTTP fake's hot
//   path), gathering about 1 ms of events per write(2); flush() waits until every event
//   appended so far is in the file. A killed process then loses at most the events of
//   the last few milliseconds.
// - Memory is bounded: the newest events are kept parsed in memory up to a byte budget;
//   older ones stay reachable through for_each(), which re-reads them from the file. The
//   writer's queue is bounded too: past kMaxQueue events, append() waits for the writer.
// - Waiting never sleeps on a timer to poll: wait_until() re-evaluates its predicate only
//   when an event is appended (or when notify_external() is called for a live probe).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "bbx/event.hpp"
#include "util/text_buffer.hpp"

namespace bbx::journal {

struct JournalOptions {
  std::size_t memory_budget_bytes = 64u << 20;  // parsed events kept in memory (estimated)
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
                       nlohmann::json attrs = nullptr);

  // append() of a deferred body: the writer thread writes it as text; it becomes a tree
  // only if a reader reaches the event (the HTTP fake's hot path builds no JSON).
  // The hot path: source and type are copied straight into the event.
  std::uint64_t append_deferred(const EventSource& source, std::string_view type,
                                std::shared_ptr<const DeferredBody> body);

  // Appends several events as consecutive seqs with one lock and one write(2): for hot
  // paths (the statsd receive thread). Each event keeps its own line; the contract is
  // append()'s, applied to each event in order. Returns the first seq (0 when empty).
  struct Pending {
    EventSource source;
    std::string type;
    nlohmann::json body;
    nlohmann::json attrs = nullptr;  // null: none (an empty object would cost an allocation)
    std::shared_ptr<const DeferredBody> deferred = nullptr;  // when set, the body (see bbx/event.hpp)
  };
  std::uint64_t append_batch(std::vector<Pending>&& events);

  // Starts the writer thread (see the contract above); irreversible, idempotent. The
  // destructor drains the queue and joins the thread.
  void write_in_background();
  // Returns once every event appended before the call is in the file. Throws bbx::Error
  // (harness) if a background write failed (append() then throws it too).
  void flush();

  std::uint64_t size() const;                  // number of events appended
  std::int64_t now_ns() const;                 // t_ns an event appended now would get
  const std::filesystem::path& path() const { return path_; }

  // Calls fn(event) for each event with seq >= from_seq, in seq order, until fn returns
  // false. Events appended while iterating are included. Safe from any thread.
  void for_each(std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const;
  // for_each() restricted to events of the given types: the others are passed over without
  // being made into trees (scans for one kind of event among many HTTP requests). Returns
  // the seq after the last event looked at (where an incremental scan resumes).
  std::uint64_t for_each_of(std::initializer_list<std::string_view> types, std::uint64_t from_seq,
                   const std::function<bool(const Event&)>& fn) const;
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
  using TypeFilter = std::initializer_list<std::string_view>;
  struct Cached {
    std::uint64_t seq;
    std::shared_ptr<Event> event;  // body filled from `deferred` (under mutex_) when first read
    std::size_t bytes;
  };
  std::uint64_t scan(TypeFilter types, std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const;
  const Event& materialized_locked(Event& event) const;  // body and wall filled
  // Appends the events' lines to `lines` (cleared first); sizes gets each line's length.
  void serialize(const std::vector<std::shared_ptr<const Event>>& events, util::TextBuffer& lines,
                 std::vector<std::size_t>& sizes) const;
  // Parses the lines of seqs [first, last]; with types, only lines of those types.
  std::vector<Event> read_from_disk(std::uint64_t first, std::uint64_t last, TypeFilter types = {}) const;
  static std::shared_ptr<Event> make_event(Pending&& pending);  // before the lock
  void stamp_locked(const std::shared_ptr<Event>& event);  // seq, t_ns; into the cache
  using Evicted = std::vector<std::shared_ptr<Event>>;  // to free once the lock is released
  void write_locked(const std::vector<std::shared_ptr<const Event>>& events, Evicted& evicted);
  // The one append path: events built by make_event (outside the lock), stamped in order.
  std::uint64_t append_events(const std::shared_ptr<Event>* events, std::size_t n);
  void record_written_locked(const std::vector<std::shared_ptr<const Event>>& events,
                             const std::vector<std::size_t>& sizes, Evicted& evicted);
  void evict_locked(Evicted& evicted);  // only events already in the file
  void writer_loop();

  std::filesystem::path path_;
  JournalOptions options_;
  int fd_ = -1;
  std::int64_t start_mono_ns_;
  std::int64_t start_real_ns_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;        // bumped on append/notify
  int waiters_ = 0;                     // threads in wait_until (appends notify only if any)
  std::uint64_t count_ = 0;             // events appended (the last seq handed out)
  std::uint64_t written_ = 0;           // events whose line is in the file (a prefix)
  // offsets_[seq-1] = byte offset of its line, when written. A deque: it grows by blocks, never
  // by copying millions of offsets under the lock, as a vector does at each doubling.
  std::deque<std::uint64_t> offsets_;
  std::uint64_t file_size_ = 0;         // bytes written
  std::vector<std::shared_ptr<const Event>> unwritten_;  // queued for the writer thread
  std::thread writer_;
  std::condition_variable writer_wake_;
  std::condition_variable written_changed_;
  bool stopping_ = false;
  bool writer_idle_ = false;            // the writer waits for a wake-up (its queue was empty)
  bool flush_requested_ = false;        // flush() waits: write without gathering more
  static constexpr std::size_t kUrgentQueue = 16384;  // events: wake the writer early
  // Events queued for the writer (unevictable, in memory) beyond which appenders wait for it:
  // a producer faster than the disk path slows down instead of growing memory without bound.
  static constexpr std::size_t kMaxQueue = 32768;
  std::exception_ptr write_error_;      // the writer thread's failure, rethrown to appenders
  // serialize()'s: used by the writer thread, or by appenders under the lock before it starts.
  mutable EnvelopeCache envelopes_;
  std::deque<Cached> cache_;            // newest events, contiguous seqs
  std::size_t cache_bytes_ = 0;
  std::vector<std::pair<int, Observer>> observers_;
  int next_observer_id_ = 1;
};

}  // namespace bbx::journal
