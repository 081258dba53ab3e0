// The journal of one scenario run: appends events to events.jsonl as they happen and keeps
// an index that queries read and "eventually" waits block on.
//
// Contracts:
// - append() is thread-safe. It stamps seq (dense, from 1), t_ns (monotonic, since the
//   journal's start) and wall, indexes the event (readable at once through the journal),
//   notifies observers and waiters, and has it written as one line on an O_APPEND
//   descriptor: whole lines only, in seq order, so the file is line-atomic and as complete
//   as the run got even if the process is killed.
// - Who writes: by default the appending thread, one write(2) per append(_batch). Under
//   write_on(post) appends only queue their events, and the first append of a burst hands
//   one drain() to post (the runner posts it to its event loop): the loop serializes and
//   writes whatever gathered meanwhile with one write(2), between its other handlers. So
//   the HTTP fake's hot path neither serializes nor makes a system call for the journal, and
//   no second thread competes with the loop for a CPU (without the writer thread it had, the
//   HTTP fake serves 13-25% more requests per second on 2 cores). A killed process loses at most the events
//   appended since the loop's last drain.
// - Memory is bounded: the newest events are kept parsed in memory up to a byte budget;
//   older ones stay reachable through for_each(), which re-reads them from the file. The
//   queue of unwritten events is bounded too: past kMaxQueue events (its drain is late),
//   the appender drains it itself.
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

  // append() of a deferred body: drain() writes it as text; it becomes a tree
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

  // Queues appended events for posted drains from now on (see the contract above); post
  // must not run the function it is given inline, and whoever owns the place it posts to
  // must call write_on({}) before that place goes away. write_on({}) writes what is queued
  // and goes back to writing in the appending thread. Safe from any thread.
  using Poster = std::function<void(std::function<void()>)>;
  void write_on(Poster post);
  // Writes every queued event, one write(2). Safe from any thread; one drain at a time.
  void drain();
  // Returns once every event appended before the call is in the file. Throws bbx::Error
  // (harness) if a write failed (append() then throws it too).
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
  void write_queue(std::vector<std::shared_ptr<const Event>>& batch);  // under drain_mutex_

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
  std::vector<std::shared_ptr<const Event>> unwritten_;  // queued for drain() (write_on mode)
  Poster poster_;                       // write_on(): where drains go; empty: appenders write
  bool drain_posted_ = false;           // a posted drain has not taken the queue yet
  // Held by a drain from taking the queue until its lines are recorded: batches reach the
  // file in seq order, and flush() (a drain) returns only after one in progress is done.
  std::mutex drain_mutex_;
  util::TextBuffer drain_lines_;        // reused by drains (a fresh buffer costs page faults)
  std::vector<std::size_t> drain_sizes_;
  // Unwritten events (unevictable, in memory) beyond which the appender drains itself: a
  // producer faster than the loop's drains slows down instead of growing memory unbounded.
  static constexpr std::size_t kMaxQueue = 32768;
  std::exception_ptr write_error_;      // a drain's failure, rethrown to appenders
  // serialize()'s: used by drains (under drain_mutex_), or by appenders under the lock when
  // there is no poster (a switch of mode holds both locks).
  mutable EnvelopeCache envelopes_;
  std::deque<Cached> cache_;            // newest events, contiguous seqs
  std::size_t cache_bytes_ = 0;
  std::vector<std::pair<int, Observer>> observers_;
  int next_observer_id_ = 1;
};

}  // namespace bbx::journal
