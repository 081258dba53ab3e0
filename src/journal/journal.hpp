// The journal of one scenario run: appends events to events.jsonl as they happen and keeps
// an index that checks read during the run (the live EventLog, event_log.hpp).
//
// Contracts:
// - append() is thread-safe. It stamps seq (dense, from 1), t_ns (monotonic, since the
//   journal's start) and wall, indexes the event (readable at once through the journal),
//   and has it written as one line on an O_APPEND
//   descriptor: whole lines only, in seq order, so the file is line-atomic and as complete
//   as the run got even if the process is killed.
// - Who writes: by default the appending thread, one write(2) per append(_batch). Under
//   write_on(post) appends only queue their events, and the first append of a burst hands
//   one drain() to post (the runner posts it to its event loop): the loop serializes and
//   writes whatever gathered meanwhile with one write(2), between its other handlers. So
//   the HTTP fake's hot path neither serializes nor makes a system call for the journal, and
//   no second thread competes with the loop for a CPU (without the writer thread it had, the
//   HTTP fake serves 13-25% more requests per second on 2 cores). A killed process loses at most the events
//   appended since the loop's last drain. write_on({}) writes the queue under the journal's
//   lock, so appenders, who write their own lines from then on, cannot put theirs before it.
// - Memory is bounded: the newest events are kept parsed in memory up to a byte budget;
//   older ones stay reachable through for_each(), which re-reads them from the file. An
//   event counts 4x its line (a parsed tree's measured size); a deferred body made into a
//   tree by a reader adds that tree's size, counted node by node (a statsd datagram of 4,000
//   samples makes a tree ~10x its text), and older events are evicted to make room; an event
//   not written yet cannot be evicted, so a reader gets a tree of its deferred body that is
//   not kept (a `within:` check reads events as they come, before the loop writes them). The
//   queue of unwritten events is bounded too: past kMaxQueue events (its drain is late),
//   the appender drains it itself.
// - Types come from the catalogue (event_types.hpp): an uncatalogued type does not compile.
// - Waits on the journal belong to the runner's loop (RunContext::run_until): a drain is a
//   loop handler, so an append from any thread wakes them.
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "bbx/event.hpp"
#include "journal/deferred_body.hpp"
#include "journal/event_json.hpp"
#include "journal/event_log.hpp"
#include "journal/event_types.hpp"
#include "util/text_buffer.hpp"

namespace bbx::journal {

struct JournalOptions {
  std::size_t memory_budget_bytes = 64u << 20;  // parsed events kept in memory (estimated)
};

class Journal final : public EventLog {
 public:
  // Creates (truncates) path. Throws bbx::Error (harness) when it cannot be opened.
  // start_monotonic_ns / start_realtime_ns: the run's time origin (0 = now).
  explicit Journal(const std::filesystem::path& path, JournalOptions options = {},
                   std::int64_t start_monotonic_ns = 0, std::int64_t start_realtime_ns = 0);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Returns the new event's seq. Throws bbx::Error (harness) if the write fails.
  std::uint64_t append(EventSource source, const EventType& type, nlohmann::json body,
                       nlohmann::json attrs = nullptr);

  // append() of a deferred body: drain() writes it as text; it becomes a tree
  // only if a reader reaches the event (the HTTP fake's hot path builds no JSON).
  // The hot path: source and type are copied straight into the event.
  std::uint64_t append_deferred(const EventSource& source, const EventType& type,
                                std::shared_ptr<const DeferredBody> body);

  // Appends several events as consecutive seqs with one lock and one write(2): for hot
  // paths (the statsd receive thread). Each event keeps its own line; the contract is
  // append()'s, applied to each event in order. Returns the first seq (0 when empty).
  struct Pending {
    EventSource source;
    EventType type;
    nlohmann::json body;
    nlohmann::json attrs = nullptr;  // null: none (an empty object would cost an allocation)
    std::shared_ptr<const DeferredBody> deferred = nullptr;  // when set, the body (deferred_body.hpp)
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

  std::uint64_t size() const override;         // number of events appended
  std::int64_t now_ns() const;                 // t_ns an event appended now would get
  const std::filesystem::path& path() const { return path_; }

  // EventLog: events appended while iterating are included. Cached events are handed out
  // from memory; evicted ones are re-read from the file (line_scan.hpp), those of other
  // types passed over unparsed. Safe from any thread.
  std::uint64_t for_each_of(const TypeFilter& types, std::uint64_t from_seq, const Visit& fn) const override;
  Event at(std::uint64_t seq) const override;  // re-read from disk if evicted
  // Bytes the events kept in memory count for (estimated; see the contract above).
  std::size_t cached_bytes() const;

 private:
  // An appended event, and its body in the producer's form when deferred (`event.body` is
  // then filled from it, under mutex_, when a reader first reaches the event).
  struct Record {
    Event event;
    std::shared_ptr<const DeferredBody> deferred;
  };
  using RecordPtr = std::shared_ptr<Record>;
  using Batch = std::vector<std::shared_ptr<const Record>>;
  struct Cached {
    std::uint64_t seq;
    RecordPtr record;
    std::size_t bytes;
  };
  using Evicted = std::vector<RecordPtr>;  // to free once the lock is released
  // Body and wall filled; a tree built now is counted in the cache, which may evict others.
  const Event& materialized_locked(Record& record, Evicted& evicted) const;
  // Appends the records' lines to `lines` (cleared first); sizes gets each line's length.
  void serialize(const Batch& records, util::TextBuffer& lines, std::vector<std::size_t>& sizes) const;
  // Calls fn for the events of seqs [first, last] (all written) that types admits, read back
  // from the file, until fn returns false; returns false when fn did.
  bool read_from_disk(std::uint64_t first, std::uint64_t last, const TypeFilter& types, const Visit& fn) const;
  static RecordPtr make_record(Pending&& pending);  // before the lock
  void stamp_locked(const RecordPtr& record);  // seq, t_ns; into the cache
  void write_locked(const Batch& records, Evicted& evicted);
  // The one append path: records built by make_record (outside the lock), stamped in order.
  std::uint64_t append_records(const RecordPtr* records, std::size_t n);
  // Records the batch as in the file; a write error given is kept for the next append.
  void record_written_locked(const Batch& records, const std::vector<std::size_t>& sizes, std::exception_ptr error,
                             Evicted& evicted);
  void evict_locked(Evicted& evicted) const;  // only events already in the file
  // Serializes and writes a batch taken from the queue; a write error is returned, not thrown.
  std::exception_ptr write_lines(const Batch& batch);  // under drain_mutex_

  std::filesystem::path path_;
  JournalOptions options_;
  int fd_ = -1;
  std::int64_t start_mono_ns_;
  std::int64_t start_real_ns_;

  mutable std::mutex mutex_;
  std::uint64_t count_ = 0;             // events appended (the last seq handed out)
  std::uint64_t written_ = 0;           // events whose line is in the file (a prefix)
  // offsets_[seq-1] = byte offset of its line, when written. A deque: it grows by blocks, never
  // by copying millions of offsets under the lock, as a vector does at each doubling.
  std::deque<std::uint64_t> offsets_;
  std::uint64_t file_size_ = 0;         // bytes written
  Batch unwritten_;                     // queued for drain() (write_on mode)
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
  // Newest events, contiguous seqs. Mutable: a reader that makes a deferred body into a tree
  // grows an event, and evicts (under mutex_).
  mutable std::deque<Cached> cache_;
  mutable std::size_t cache_bytes_ = 0;
};

}  // namespace bbx::journal
