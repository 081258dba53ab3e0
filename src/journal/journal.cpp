#include "journal/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

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
  if (fd_ < 0) return;
  try {
    flush();
  } catch (const std::exception&) {  // the run is ending; the write error was already reported
  }
  ::close(fd_);
}

std::int64_t Journal::now_ns() const { return util::monotonic_ns() - start_mono_ns_; }

std::uint64_t Journal::size() const {
  std::lock_guard lock(mutex_);
  return offsets_.size();
}

static void write_all(int fd, const std::string& line, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_harness("cannot write journal " + path.string() + ": " + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
}

std::uint64_t Journal::append(EventSource source, std::string type, nlohmann::json body,
                              nlohmann::json attrs) {
  auto event = std::make_shared<Event>();
  event->source = std::move(source);
  event->type = std::move(type);
  event->body = std::move(body);
  event->attrs = std::move(attrs);
  std::vector<Observer> to_notify;
  {
    std::lock_guard lock(mutex_);
    event->seq = offsets_.size() + 1;
    event->t_ns = now_ns();
    event->wall = util::rfc3339_utc(start_real_ns_ + event->t_ns);
    std::string line = event_to_json_line(*event);
    queue_locked(line);
    offsets_.push_back(file_size_);
    file_size_ += line.size();
    cache_.push_back({event->seq, event, line.size() * 2 + sizeof(Event)});
    cache_bytes_ += cache_.back().bytes;
    evict_locked();
    ++generation_;
    to_notify.reserve(observers_.size());
    for (auto& [id, obs] : observers_) to_notify.push_back(obs);
  }
  changed_.notify_all();
  for (auto& obs : to_notify) obs(*event);
  return event->seq;
}

std::uint64_t Journal::append_batch(std::vector<Pending>&& pending) {
  if (pending.empty()) return 0;
  std::vector<std::shared_ptr<Event>> events;
  events.reserve(pending.size());
  for (auto& p : pending) {
    auto event = std::make_shared<Event>();
    event->source = std::move(p.source);
    event->type = std::move(p.type);
    event->body = std::move(p.body);
    event->attrs = nlohmann::json::object();
    events.push_back(std::move(event));
  }
  std::vector<Observer> to_notify;
  std::uint64_t first;
  {
    std::lock_guard lock(mutex_);
    first = offsets_.size() + 1;
    std::int64_t t = now_ns();
    std::string wall = util::rfc3339_utc(start_real_ns_ + t);
    std::string lines;
    for (auto& event : events) {
      event->seq = offsets_.size() + 1;
      event->t_ns = t;
      event->wall = wall;
      std::size_t before = lines.size();
      lines += event_to_json_line(*event);
      std::size_t bytes = lines.size() - before;
      offsets_.push_back(file_size_ + before);
      cache_.push_back({event->seq, event, bytes * 2 + sizeof(Event)});
      cache_bytes_ += cache_.back().bytes;
    }
    pending_ += lines;
    write_pending_locked();
    file_size_ += lines.size();
    evict_locked();
    ++generation_;
    for (auto& [id, obs] : observers_) to_notify.push_back(obs);
  }
  changed_.notify_all();
  for (auto& event : events)
    for (auto& obs : to_notify) obs(*event);
  return first;
}

constexpr std::size_t kMaxPendingBytes = 1u << 20;

void Journal::queue_locked(const std::string& lines) {
  bool was_empty = pending_.empty();
  pending_ += lines;
  if (!schedule_flush_ || pending_.size() > kMaxPendingBytes) return write_pending_locked();
  if (was_empty) schedule_flush_();
}

void Journal::write_pending_locked() {
  if (pending_.empty()) return;
  write_all(fd_, pending_, path_);
  pending_.clear();  // keeps the capacity for the next burst
}

void Journal::flush() {
  std::lock_guard lock(mutex_);
  write_pending_locked();
}

void Journal::defer_writes(std::function<void()> schedule) {
  std::lock_guard lock(mutex_);
  schedule_flush_ = std::move(schedule);
  if (!schedule_flush_) write_pending_locked();
}

void Journal::evict_locked() {
  if (cache_bytes_ > options_.memory_budget_bytes) write_pending_locked();  // evicted events are re-read from disk
  while (cache_bytes_ > options_.memory_budget_bytes && cache_.size() > 1) {
    cache_bytes_ -= cache_.front().bytes;
    cache_.pop_front();
  }
}

Event Journal::read_from_disk(std::uint64_t seq) const {
  std::uint64_t begin, end;
  {
    std::lock_guard lock(mutex_);
    begin = offsets_.at(seq - 1);
    end = seq < offsets_.size() ? offsets_[seq] : file_size_;
  }
  std::string line(end - begin, '\0');
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail_harness("cannot reopen journal " + path_.string() + ": " + std::strerror(errno));
  ssize_t n = ::pread(fd, line.data(), line.size(), static_cast<off_t>(begin));
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size())) fail_harness("short read of journal " + path_.string());
  return event_from_json_line(line);
}

Event Journal::at(std::uint64_t seq) const {
  {
    std::lock_guard lock(mutex_);
    if (seq == 0 || seq > offsets_.size()) throw std::out_of_range("no event " + std::to_string(seq));
    if (!cache_.empty() && seq >= cache_.front().seq) return *cache_[seq - cache_.front().seq].event;
  }
  return read_from_disk(seq);
}

void Journal::for_each(std::uint64_t from_seq, const std::function<bool(const Event&)>& fn) const {
  for (std::uint64_t seq = std::max<std::uint64_t>(from_seq, 1);; ++seq) {
    std::shared_ptr<const Event> cached;
    {
      std::lock_guard lock(mutex_);
      if (seq > offsets_.size()) return;
      if (!cache_.empty() && seq >= cache_.front().seq) cached = cache_[seq - cache_.front().seq].event;
    }
    if (cached) {
      if (!fn(*cached)) return;
    } else {
      if (!fn(read_from_disk(seq))) return;
    }
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
      woken = changed_.wait_until(lock, deadline, [&] { return generation_ != seen; });
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
