#include "journal/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bbx/error.hpp"
#include "journal/line_scan.hpp"
#include "util/clock.hpp"

namespace bbx::journal {

Journal::Journal(const std::filesystem::path& path, JournalOptions options,
                 std::int64_t start_monotonic_ns, std::int64_t start_realtime_ns)
    : path_(path),
      options_(options),
      start_mono_ns_(start_monotonic_ns ? start_monotonic_ns : util::monotonic_ns()),
      start_real_ns_(start_realtime_ns ? start_realtime_ns : util::realtime_ns()) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) fail_harness("cannot create journal " + path.string() + ": " + std::strerror(errno));
}

Journal::~Journal() {
  drain();  // what a poster never got to
  if (fd_ >= 0) ::close(fd_);
}

std::int64_t Journal::now_ns() const { return util::monotonic_ns() - start_mono_ns_; }

std::uint64_t Journal::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

static void write_all(int fd, std::string_view line, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_harness("cannot write journal " + path.string() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

Journal::RecordPtr Journal::make_record(Pending&& p) {
  auto record = std::make_shared<Record>();
  record->event.source = std::move(p.source);
  record->event.type.assign(p.type.name());
  record->event.body = std::move(p.body);
  record->event.attrs = std::move(p.attrs);
  record->deferred = std::move(p.deferred);
  return record;
}

void Journal::stamp_locked(const RecordPtr& record) {
  record->event.seq = ++count_;
  record->event.t_ns = now_ns();
  cache_.push_back({record->event.seq, record, 0});
}

std::uint64_t Journal::append(EventSource source, const EventType& type, nlohmann::json body, nlohmann::json attrs) {
  auto record = make_record({std::move(source), type, std::move(body), std::move(attrs)});
  return append_records(&record, 1);
}

std::uint64_t Journal::append_deferred(const EventSource& source, const EventType& type,
                                       std::shared_ptr<const DeferredBody> body) {
  auto record = std::make_shared<Record>();
  record->event.source = source;
  record->event.type.assign(type.name());
  record->deferred = std::move(body);
  return append_records(&record, 1);
}

std::uint64_t Journal::append_batch(std::vector<Pending>&& pending) {
  std::vector<RecordPtr> records;
  records.reserve(pending.size());
  for (auto& p : pending) records.push_back(make_record(std::move(p)));
  return append_records(records.data(), records.size());
}

namespace {

// The heap a JSON tree holds, node by node (nlohmann: a map node per member, a vector per
// array, a heap string past the small-string buffer), plus the value itself.
std::size_t tree_bytes(const nlohmann::json& j) {
  constexpr std::size_t kMapNode = 32 + sizeof(std::string) + sizeof(nlohmann::json);  // rb-tree links, key, value
  std::size_t n = sizeof(nlohmann::json);
  auto string_heap = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      n += sizeof(nlohmann::json::object_t);
      for (const auto& [key, value] : j.get_ref<const nlohmann::json::object_t&>())
        n += kMapNode + string_heap(key) + tree_bytes(value) - sizeof(nlohmann::json);
      break;
    case nlohmann::json::value_t::array: {
      const auto& a = j.get_ref<const nlohmann::json::array_t&>();
      n += sizeof(a) + (a.capacity() - a.size()) * sizeof(nlohmann::json);
      for (const auto& value : a) n += tree_bytes(value);
      break;
    }
    case nlohmann::json::value_t::string:
      n += sizeof(std::string) + string_heap(j.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::binary: n += sizeof(nlohmann::json::binary_t) + j.get_binary().capacity(); break;
    default: break;
  }
  return n;
}

}  // namespace

const Event& Journal::materialized_locked(Record& record, Evicted& evicted) const {
  Event& event = record.event;
  if (event.wall.empty()) event.wall = util::rfc3339_utc(start_real_ns_ + event.t_ns);
  if (record.deferred && event.body.is_null()) {
    event.body = record.deferred->tree();
    auto grown = tree_bytes(event.body);
    auto seq = event.seq;
    if (!cache_.empty() && seq >= cache_.front().seq && seq - cache_.front().seq < cache_.size()) {
      cache_[seq - cache_.front().seq].bytes += grown;
      cache_bytes_ += grown;
      evict_locked(evicted);
    }
  }
  return event;
}

std::size_t Journal::cached_bytes() const {
  std::lock_guard lock(mutex_);
  return cache_bytes_;
}

// The common path of the append functions. The records were built by the caller, so under
// the lock only seq and t_ns are stamped and the queues grow. With a poster it allocates
// nothing and makes no system call: the HTTP fake's hot path.
std::uint64_t Journal::append_records(const RecordPtr* records, std::size_t n) {
  if (n == 0) return 0;
  std::uint64_t first = 0;
  Batch kept;       // to write here
  Evicted evicted;  // freed after the lock is released
  Poster post;      // set when this append starts a burst: post one drain
  bool drain_here = false;
  {
    std::unique_lock lock(mutex_);
    if (write_error_) std::rethrow_exception(write_error_);
    bool queued = static_cast<bool>(poster_);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& record = records[i];
      stamp_locked(record);
      if (i == 0) first = record->event.seq;
      if (queued) unwritten_.push_back(record);
      else kept.push_back(record);
    }
    if (!queued) {
      write_locked(kept, evicted);  // in the caller's thread, one write(2)
    } else if (!drain_posted_) {
      drain_posted_ = true;
      post = poster_;
    }
    drain_here = queued && unwritten_.size() >= kMaxQueue;
  }
  if (post) post([this] { drain(); });
  if (drain_here) drain();
  return first;
}

// Reads no field a reader may be filling meanwhile (materialized_locked): wall is formatted
// here, a deferred body is written from `deferred`.
void Journal::serialize(const Batch& records, util::TextBuffer& lines, std::vector<std::size_t>& sizes) const {
  lines.clear();
  sizes.clear();
  sizes.reserve(records.size());
  for (const auto& r : records) {
    std::size_t before = lines.size();
    append_event_json_line_at(lines, r->event, r->deferred.get(), start_real_ns_ + r->event.t_ns, envelopes_);
    sizes.push_back(lines.size() - before);
  }
}

void Journal::write_locked(const Batch& records, Evicted& evicted) {
  std::vector<std::size_t> sizes;
  util::TextBuffer lines;
  serialize(records, lines, sizes);
  write_all(fd_, lines.view(), path_);
  record_written_locked(records, sizes, nullptr, evicted);
}

void Journal::record_written_locked(const Batch& records, const std::vector<std::size_t>& sizes,
                                    std::exception_ptr error, Evicted& evicted) {
  if (error && !write_error_) write_error_ = error;  // kept for the next append; a failed write still ends a flush
  for (std::size_t i = 0; i < records.size(); ++i) {
    offsets_.push_back(file_size_);
    file_size_ += sizes[i];
    std::uint64_t seq = records[i]->event.seq;
    if (!cache_.empty() && seq >= cache_.front().seq) {
      auto& cached = cache_[seq - cache_.front().seq];
      auto bytes = sizes[i] * 4 + sizeof(Event);  // parsed JSON takes ~4x its text (measured)
      cached.bytes += bytes;  // beside a tree a reader already made of a deferred body
      cache_bytes_ += bytes;
    }
  }
  written_ = records.back()->event.seq;
  evict_locked(evicted);
}

// The queue is written under the lock here: once poster_ is empty appenders write their own
// lines, which must come after the queue's (offsets_ and the file share one order).
void Journal::write_on(Poster post) {
  std::lock_guard draining(drain_mutex_);  // no drain between the two modes' writes
  Evicted evicted;  // freed after the lock below is released
  std::lock_guard lock(mutex_);
  poster_ = std::move(post);
  drain_posted_ = false;  // a drain posted before is harmless: it finds what is queued then
  Batch batch;
  batch.swap(unwritten_);
  if (batch.empty()) return;
  record_written_locked(batch, drain_sizes_, write_lines(batch), evicted);
}

void Journal::drain() {
  std::lock_guard draining(drain_mutex_);
  Batch batch;
  {
    std::lock_guard lock(mutex_);
    drain_posted_ = false;  // events appended from here on post the next drain
    batch.swap(unwritten_);
  }
  if (batch.empty()) return;
  // Outside the journal lock (events are immutable once appended), so appenders and readers
  // go on meanwhile. No appender writes its own lines meanwhile: only write_on() empties
  // poster_, and it waits for this drain (drain_mutex_).
  auto error = write_lines(batch);
  Evicted evicted;  // freed after the lock below is released
  std::lock_guard lock(mutex_);
  record_written_locked(batch, drain_sizes_, error, evicted);
}

// Under drain_mutex_ (drain_lines_ and drain_sizes_ are its).
std::exception_ptr Journal::write_lines(const Batch& batch) {
  constexpr std::size_t kKeptBuffer = 8u << 20;
  if (drain_lines_.capacity() > kKeptBuffer) drain_lines_.release();
  serialize(batch, drain_lines_, drain_sizes_);
  try {
    write_all(fd_, drain_lines_.view(), path_);
  } catch (...) {
    return std::current_exception();
  }
  return nullptr;
}

void Journal::flush() {
  drain();
  std::lock_guard lock(mutex_);
  if (write_error_) std::rethrow_exception(write_error_);
}

// Evicted events are handed to the caller, which frees them after unlocking: freeing a
// batch's worth (~100 HTTP events, each several blocks) under the lock held the HTTP fake's
// appends up often enough to make its loop thread sleep on the mutex ~1400 times a second.
// (Under glibc malloc, freeing outside the lock was measured worse for statsd; with jemalloc
// it is not: bench/statsd.sh.)
void Journal::evict_locked(Evicted& evicted) const {
  while (cache_bytes_ > options_.memory_budget_bytes && cache_.size() > 1 && cache_.front().seq <= written_) {
    cache_bytes_ -= cache_.front().bytes;
    evicted.push_back(std::move(cache_.front().record));
    cache_.pop_front();
  }
}

bool Journal::read_from_disk(std::uint64_t first, std::uint64_t last, const TypeFilter& types, const Visit& fn) const {
  LineScan range;
  {
    std::lock_guard lock(mutex_);
    range.begin = offsets_.at(first - 1);
    range.end = last < offsets_.size() ? offsets_[last] : file_size_;
    range.first_line = first;
  }
  bool stopped = false;
  scan_events(path_, range, types, [&](const Event& e) {
    if (fn(e)) return true;
    stopped = true;
    return false;
  });
  return !stopped;
}

Event Journal::at(std::uint64_t seq) const {
  Evicted evicted;  // freed after the lock is released
  {
    std::lock_guard lock(mutex_);
    if (seq == 0 || seq > count_) throw std::out_of_range("no event " + std::to_string(seq));
    if (!cache_.empty() && seq >= cache_.front().seq) {
      RecordPtr record = cache_[seq - cache_.front().seq].record;  // kept: it may be evicted below
      if (record->deferred && record->event.body.is_null() && seq > written_) {  // as in for_each_of
        Event copy = record->event;
        copy.body = record->deferred->tree();
        copy.wall = util::rfc3339_utc(start_real_ns_ + copy.t_ns);
        return copy;
      }
      return materialized_locked(*record, evicted);
    }
  }
  Event out;
  read_from_disk(seq, seq, {}, [&](const Event& e) {
    out = e;
    return false;
  });
  return out;
}

// Cached events are handed out one at a time (taken under the lock, made into trees there);
// evicted ones are re-read in blocks. An empty filter passes every type.
std::uint64_t Journal::for_each_of(const TypeFilter& types, std::uint64_t from_seq, const Visit& fn) const {
  constexpr std::uint64_t kEventsPerRead = 4096;  // evicted events are re-read in blocks
  for (std::uint64_t seq = std::max<std::uint64_t>(from_seq, 1);;) {
    std::shared_ptr<const Record> cached;
    std::uint64_t evicted_until = 0;  // last seq of the evicted run starting at seq
    Evicted evicted;                  // freed after the lock is released
    {
      std::lock_guard lock(mutex_);
      if (seq > count_) return seq;
      if (!cache_.empty() && seq >= cache_.front().seq) {
        RecordPtr record = cache_[seq - cache_.front().seq].record;  // kept: it may be evicted below
        if (!types.admits(record->event.type)) {
          // passed over, never made into a tree
        } else if (record->deferred && record->event.body.is_null() && seq > written_) {
          // Not written yet, so not evictable: the tree of its deferred body is not kept, the
          // reader gets a copy of the event that holds it (a `within:` metric check reading a
          // statsd flood as it arrived kept 1.1 GB of trees of events its loop had not written).
          auto copy = std::make_shared<Record>();
          copy->event = record->event;
          copy->event.body = record->deferred->tree();
          copy->event.wall = util::rfc3339_utc(start_real_ns_ + copy->event.t_ns);
          cached = std::move(copy);
        } else {
          materialized_locked(*record, evicted);
          cached = std::move(record);
        }
      } else {
        evicted_until = std::min(seq + kEventsPerRead - 1, cache_.empty() ? count_ : cache_.front().seq - 1);
      }
    }
    if (evicted_until == 0) {
      if (cached && !fn(cached->event)) return seq + 1;
      ++seq;
      continue;
    }
    std::uint64_t stopped_at = 0;
    read_from_disk(seq, evicted_until, types, [&](const Event& e) {
      if (fn(e)) return true;
      stopped_at = e.seq;
      return false;
    });
    if (stopped_at) return stopped_at + 1;
    seq = evicted_until + 1;
  }
}

}  // namespace bbx::journal
