#include "journal/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bbx/error.hpp"
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

std::shared_ptr<Event> Journal::make_event(Pending&& p) {
  auto event = std::make_shared<Event>();
  event->source = std::move(p.source);
  event->type = std::move(p.type);
  event->body = std::move(p.body);
  event->deferred = std::move(p.deferred);
  event->attrs = std::move(p.attrs);
  return event;
}

void Journal::stamp_locked(const std::shared_ptr<Event>& event) {
  event->seq = ++count_;
  event->t_ns = now_ns();
  cache_.push_back({event->seq, event, 0});
}

std::uint64_t Journal::append(EventSource source, std::string type, nlohmann::json body,
                              nlohmann::json attrs) {
  auto event = make_event({std::move(source), std::move(type), std::move(body), std::move(attrs)});
  return append_events(&event, 1);
}

std::uint64_t Journal::append_deferred(const EventSource& source, std::string_view type,
                                       std::shared_ptr<const DeferredBody> body) {
  auto event = std::make_shared<Event>();
  event->source = source;
  event->type.assign(type);
  event->deferred = std::move(body);
  return append_events(&event, 1);
}

std::uint64_t Journal::append_batch(std::vector<Pending>&& pending) {
  std::vector<std::shared_ptr<Event>> events;
  events.reserve(pending.size());
  for (auto& p : pending) events.push_back(make_event(std::move(p)));
  return append_events(events.data(), events.size());
}

const Event& Journal::materialized_locked(Event& event) const {
  if (event.deferred && event.body.is_null()) event.body = event.deferred->tree();
  if (event.wall.empty()) event.wall = util::rfc3339_utc(start_real_ns_ + event.t_ns);
  return event;
}

// The common path of the append functions. The events were built by the caller, so under
// the lock only seq and t_ns are stamped and the queues grow. With a poster and no observer
// it allocates nothing and makes no system call: the HTTP fake's hot path.
std::uint64_t Journal::append_events(const std::shared_ptr<Event>* events, std::size_t n) {
  if (n == 0) return 0;
  std::uint64_t first = 0;
  std::vector<std::shared_ptr<const Event>> kept;  // to write here or to notify observers
  std::vector<Observer> to_notify;
  Evicted evicted;  // freed after the lock is released
  Poster post;      // set when this append starts a burst: post one drain
  bool drain_here = false;
  bool wake_waiters = false;
  {
    std::unique_lock lock(mutex_);
    if (write_error_) std::rethrow_exception(write_error_);
    bool queued = static_cast<bool>(poster_);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& event = events[i];
      stamp_locked(event);
      if (i == 0) first = event->seq;
      if (!observers_.empty()) materialized_locked(*event);
      if (queued) unwritten_.push_back(event);
      if (!queued || !observers_.empty()) kept.push_back(event);
    }
    if (!queued) {
      write_locked(kept, evicted);  // in the caller's thread, one write(2)
    } else if (!drain_posted_) {
      drain_posted_ = true;
      post = poster_;
    }
    drain_here = queued && unwritten_.size() >= kMaxQueue;
    ++generation_;
    wake_waiters = waiters_ > 0;
    to_notify.reserve(observers_.size());
    for (auto& [id, obs] : observers_) to_notify.push_back(obs);
  }
  if (post) post([this] { drain(); });
  if (drain_here) drain();
  if (wake_waiters) changed_.notify_all();
  if (!to_notify.empty())
    for (auto& event : kept)
      for (auto& obs : to_notify) obs(*event);
  return first;
}

// Reads no field a reader may be filling meanwhile (materialized_locked): wall is formatted
// here, a deferred body is written from `deferred`.
void Journal::serialize(const std::vector<std::shared_ptr<const Event>>& events, util::TextBuffer& lines,
                        std::vector<std::size_t>& sizes) const {
  lines.clear();
  sizes.clear();
  sizes.reserve(events.size());
  for (const auto& e : events) {
    std::size_t before = lines.size();
    append_event_json_line_at(lines, *e, start_real_ns_ + e->t_ns, envelopes_);
    sizes.push_back(lines.size() - before);
  }
}

void Journal::write_locked(const std::vector<std::shared_ptr<const Event>>& events, Evicted& evicted) {
  std::vector<std::size_t> sizes;
  util::TextBuffer lines;
  serialize(events, lines, sizes);
  write_all(fd_, lines.view(), path_);
  record_written_locked(events, sizes, evicted);
}

void Journal::record_written_locked(const std::vector<std::shared_ptr<const Event>>& events,
                                    const std::vector<std::size_t>& sizes, Evicted& evicted) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    offsets_.push_back(file_size_);
    file_size_ += sizes[i];
    std::uint64_t seq = events[i]->seq;
    if (!cache_.empty() && seq >= cache_.front().seq) {
      auto& cached = cache_[seq - cache_.front().seq];
      cached.bytes = sizes[i] * 4 + sizeof(Event);  // parsed JSON takes ~4x its text (measured)
      cache_bytes_ += cached.bytes;
    }
  }
  written_ = events.back()->seq;
  evict_locked(evicted);
}

void Journal::write_on(Poster post) {
  std::lock_guard draining(drain_mutex_);  // no drain between the two modes' writes
  std::vector<std::shared_ptr<const Event>> batch;
  {
    std::lock_guard lock(mutex_);
    poster_ = std::move(post);
    drain_posted_ = false;  // a drain posted before is harmless: it finds what is queued then
    batch.swap(unwritten_);
  }
  write_queue(batch);
}

void Journal::drain() {
  std::lock_guard draining(drain_mutex_);
  std::vector<std::shared_ptr<const Event>> batch;
  {
    std::lock_guard lock(mutex_);
    drain_posted_ = false;  // events appended from here on post the next drain
    batch.swap(unwritten_);
  }
  write_queue(batch);
}

// Serializes and writes outside the journal lock (events are immutable once appended), so
// appenders and readers go on meanwhile.
void Journal::write_queue(std::vector<std::shared_ptr<const Event>>& batch) {
  if (batch.empty()) return;
  constexpr std::size_t kKeptBuffer = 8u << 20;
  if (drain_lines_.capacity() > kKeptBuffer) drain_lines_.release();
  serialize(batch, drain_lines_, drain_sizes_);
  std::exception_ptr error;
  try {
    write_all(fd_, drain_lines_.view(), path_);
  } catch (...) {
    error = std::current_exception();
  }
  Evicted evicted;  // freed after the lock below is released
  std::lock_guard lock(mutex_);
  if (error && !write_error_) write_error_ = error;
  record_written_locked(batch, drain_sizes_, evicted);  // a failed write still ends a flush
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
void Journal::evict_locked(Evicted& evicted) {
  while (cache_bytes_ > options_.memory_budget_bytes && cache_.size() > 1 && cache_.front().seq <= written_) {
    cache_bytes_ -= cache_.front().bytes;
    evicted.push_back(std::move(cache_.front().event));
    cache_.pop_front();
  }
}

// The type of an events.jsonl line without parsing it: the envelope is written in a fixed
// order (seq, t_ns, wall, source, type, ...) and a string value cannot hold the unescaped
// `"type":"`, so its first occurrence is the event's type. Empty if not found.
static std::string_view line_type(std::string_view line) {
  constexpr std::string_view kKey = "\"type\":\"";
  auto at = line.find(kKey);
  if (at == std::string_view::npos) return {};
  auto begin = at + kKey.size();
  auto end = line.find('"', begin);
  return end == std::string_view::npos ? std::string_view() : line.substr(begin, end - begin);
}

// Reads the lines of seqs [first, last] (all written) with one pread; parses each (of types).
std::vector<Event> Journal::read_from_disk(std::uint64_t first, std::uint64_t last, TypeFilter types) const {
  std::uint64_t begin, end;
  {
    std::lock_guard lock(mutex_);
    begin = offsets_.at(first - 1);
    end = last < offsets_.size() ? offsets_[last] : file_size_;
  }
  std::string block(end - begin, '\0');
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_harness("cannot reopen journal " + path_.string() + ": " + std::strerror(errno));
  ssize_t n = ::pread(fd, block.data(), block.size(), static_cast<off_t>(begin));
  ::close(fd);
  if (n != static_cast<ssize_t>(block.size())) fail_harness("short read of journal " + path_.string());
  std::vector<Event> out;
  out.reserve(last - first + 1);
  std::string_view rest(block);
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    auto type = types.size() ? line_type(line) : std::string_view();
    if (type.empty() || std::find(types.begin(), types.end(), type) != types.end())
      out.push_back(event_from_json_line(line));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
  }
  return out;
}

Event Journal::at(std::uint64_t seq) const {
  {
    std::lock_guard lock(mutex_);
    if (seq == 0 || seq > count_) throw std::out_of_range("no event " + std::to_string(seq));
    if (!cache_.empty() && seq >= cache_.front().seq) return materialized_locked(*cache_[seq - cache_.front().seq].event);
  }
  return std::move(read_from_disk(seq, seq).front());
}

void Journal::for_each(std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const {
  scan({}, from_seq, fn);
}

std::uint64_t Journal::for_each_of(TypeFilter types, std::uint64_t from_seq,
                                   const std::function<bool(const Event&)>& fn) const {
  return scan(types, from_seq, fn);
}

// Cached events are handed out one at a time (taken under the lock, made into trees there);
// evicted ones are re-read in blocks. An empty filter passes every type.
std::uint64_t Journal::scan(TypeFilter types, std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const {
  constexpr std::uint64_t kEventsPerRead = 4096;  // evicted events are re-read in blocks
  auto wanted = [&](const Event& e) {
    return types.size() == 0 || std::find(types.begin(), types.end(), e.type) != types.end();
  };
  for (std::uint64_t seq = std::max<std::uint64_t>(from_seq, 1);;) {
    std::shared_ptr<const Event> cached;
    std::uint64_t evicted_until = 0;  // last seq of the evicted run starting at seq
    {
      std::lock_guard lock(mutex_);
      if (seq > count_) return seq;
      if (!cache_.empty() && seq >= cache_.front().seq) {
        const auto& event = cache_[seq - cache_.front().seq].event;
        if (wanted(*event)) {
          materialized_locked(*event);
          cached = event;
        }
      } else {
        evicted_until = std::min(seq + kEventsPerRead - 1, cache_.empty() ? count_ : cache_.front().seq - 1);
      }
    }
    if (evicted_until == 0) {
      if (cached && !fn(*cached)) return seq + 1;
      ++seq;
      continue;
    }
    for (const auto& event : read_from_disk(seq, evicted_until, types))
      if (wanted(event) && !fn(event)) return event.seq + 1;
    seq = evicted_until + 1;
  }
}

int Journal::add_observer(Observer observer) {
  std::lock_guard lock(mutex_);
  observers_.emplace_back(next_observer_id_, std::move(observer));
  return next_observer_id_++;
}

void Journal::remove_observer(int id) {
  std::lock_guard lock(mutex_);
  std::erase_if(observers_, [id](const auto& p) { return p.first == id; });
}

bool Journal::wait_until(const std::function<bool()>& pred,
                         std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    std::uint64_t seen;
    {
      std::lock_guard lock(mutex_);
      seen = generation_;
    }
    if (pred()) return true;
    bool woken;
    {
      std::unique_lock lock(mutex_);
      ++waiters_;
      woken = changed_.wait_until(lock, deadline, [&] { return generation_ != seen; });
      --waiters_;
    }
    if (!woken) return pred();  // evaluated without the lock: pred may query the journal
  }
}

void Journal::notify_external() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

}  // namespace bbx::journal
