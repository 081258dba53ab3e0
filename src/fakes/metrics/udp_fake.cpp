// The UDP statsd fake, built for bursts (DESIGN allows threads for this hot path):
//  - a drain thread only reads: recvmmsg in batches of 64 datagrams of up to 64 KiB from
//    a 16 MiB (default) receive buffer, copying them into 1 MiB chunks queued in memory,
//    so the kernel buffer empties as fast as the raw receiver would;
//  - a journal thread parses each queued datagram and appends its events (one
//    Journal::append_batch per kJournalBatch events, bounding the transient memory;
//    append is thread-safe; while the run's loop is pumped, an append posts the journal's
//    drain to it, which also makes a waiting `within:` check re-check).
// The queue is bounded (kMaxQueued); datagrams that do not fit are counted as lost like
// kernel drops. Kernel drops are read from SO_RXQ_OVFL on every batch and SO_MEMINFO at
// stop; each increase is journaled as statsd.loss (journal_events.hpp) and, with on_loss:
// fail (the default), fails the scenario through FakeServer::problem().
#include <arpa/inet.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <cerrno>
#include <cstring>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "bbx/error.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/metrics/journal_events.hpp"

namespace bbx::fakes {

namespace {

constexpr int kBatch = 64;
constexpr std::size_t kDatagramMax = 64 * 1024;
constexpr std::size_t kChunkBytes = 1 << 20;
constexpr std::size_t kMaxQueued = 512u << 20;  // bytes held by chunks waiting to be journaled
// Events per Journal::append_batch. A 1 MiB chunk of small datagrams holds ~65k of them;
// building all their events at once cost ~100 MB of parsed JSON plus a ~20 MB line buffer
// on top of the journal's cache (bench/capture.sh measured the peak RSS).
constexpr std::size_t kJournalBatch = 1024;

struct Chunk {  // datagrams in arrival order, back to back
  struct Entry {
    std::uint32_t offset, length;
    sockaddr_in from;
  };
  std::vector<char> bytes;
  std::vector<Entry> entries;
  // Heap bytes held (capacities): what the queue bound counts.
  std::size_t held() const { return bytes.capacity() + entries.capacity() * sizeof(Entry); }
};

std::string endpoint_text(const sockaddr_in& a) {
  char ip[INET_ADDRSTRLEN] = "?";
  ::inet_ntop(AF_INET, &a.sin_addr, ip, sizeof ip);
  return std::string(ip) + ":" + std::to_string(ntohs(a.sin_port));
}

class StatsdUdpFake : public FakeServer {
 public:
  StatsdUdpFake(runtime::RunContext& ctx, const model::Fake& fake, const model::MetricFakeSpec& metric)
      : ctx_(ctx), fake_(fake), metric_(metric) {
    open_socket();
    buffers_.resize(kBatch * kDatagramMax);
    journal_thread_ = std::thread([this] { journal_loop(); });
    thread_ = std::thread([this] { receive_loop(); });
  }
  ~StatsdUdpFake() override { stop(); }

  int port() const override { return port_; }
  const std::string& host() const override { return fake_.host; }
  std::string url() const override { return fake_.host + ":" + std::to_string(port_); }

  void stop() override {
    if (fd_ < 0) return;
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    drain();  // what arrived before stop is still captured
    flush_chunk();
    {
      std::lock_guard lock(mutex_);
      draining_done_ = true;
    }
    queued_cv_.notify_all();
    if (journal_thread_.joinable()) journal_thread_.join();
    report_loss(meminfo_drops(), "SO_MEMINFO");
    if (overflow_ > 0) {
      total_dropped_ += overflow_;
      ctx_.journal().append({"fake", fake_.name, 0}, journal::ev::statsd_loss,
                            {{"dropped", overflow_}, {"total", total_dropped_.load()}, {"counter", "bbx_queue"}});
    }
    ::close(fd_);
    fd_ = -1;
  }

  // Waits for a drain round that began after the call (the socket was seen empty and its
  // datagrams queued), then for the journal thread to finish the queue.
  void settle(std::chrono::milliseconds limit) override {
    if (fd_ < 0) return;
    std::unique_lock lock(mutex_);
    auto round = drain_rounds_;
    settled_cv_.wait_for(lock, limit, [&] { return drain_rounds_ >= round + 2 && queue_.empty() && !journaling_; });
  }

  std::optional<std::string> problem() const override {
    if (total_dropped_ == 0 || metric_.on_loss != model::LossPolicy::fail) return std::nullopt;
    return "the kernel dropped " + std::to_string(total_dropped_) +
           " datagram(s) before bbx read them (receive buffer " + std::to_string(granted_) + " bytes)";
  }

 private:
  [[noreturn]] void fail(const std::string& what) {
    int err = errno;
    if (fd_ >= 0) ::close(fd_);
    fail_harness("fake '" + fake_.name + "': cannot listen on " + fake_.host + ":" +
                             std::to_string(fake_.port) + ": " + what + ": " + std::strerror(err));
  }

  void open_socket() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) fail("socket");
    int want = static_cast<int>(metric_.receive_buffer);
    forced_ = ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &want, sizeof want) == 0;
    if (!forced_) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
    socklen_t len = sizeof granted_;
    ::getsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &granted_, &len);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(fake_.port));
    if (::inet_pton(AF_INET, fake_.host.c_str(), &addr.sin_addr) != 1) {
      errno = EINVAL;
      fail("invalid IPv4 host");
    }
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("bind");
    len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ctx_.journal().append({"fake", fake_.name, 0}, journal::ev::statsd_receiver,
                          {{"transport", "udp"}, {"format", "statsd"}, {"port", port_},
                           {"requested", want}, {"receive_buffer", granted_}, {"forced", forced_}});
  }

  void receive_loop() {
    while (!stopping_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) {
        end_drain_round();
        continue;
      }
      while (!stopping_ && receive_batch() == kBatch) {
      }
      flush_chunk();  // the socket is empty: hand over what we have
      end_drain_round();
    }
  }

  void end_drain_round() {  // the socket was just seen empty and all read was queued
    {
      std::lock_guard lock(mutex_);
      ++drain_rounds_;
    }
    settled_cv_.notify_all();
  }

  void drain() {
    while (receive_batch() > 0) {
    }
  }

  // Reads up to kBatch datagrams without blocking; journals them. Returns how many.
  int receive_batch() {
    mmsghdr msgs[kBatch];
    iovec iovs[kBatch];
    sockaddr_in from[kBatch];
    alignas(cmsghdr) char control[kBatch][CMSG_SPACE(sizeof(std::uint32_t))];
    for (int i = 0; i < kBatch; ++i) {
      iovs[i] = {buffers_.data() + i * kDatagramMax, kDatagramMax};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iovs[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      msgs[i].msg_hdr.msg_control = control[i];
      msgs[i].msg_hdr.msg_controllen = sizeof control[i];
    }
    int n = ::recvmmsg(fd_, msgs, kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return 0;
    std::uint32_t drops = last_drop_counter_;
    for (int i = 0; i < n; ++i) {
      for (cmsghdr* c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL)
          std::memcpy(&drops, CMSG_DATA(c), sizeof drops);
      auto len = msgs[i].msg_len;
      if (chunk_.bytes.size() + len > kChunkBytes) flush_chunk();
      chunk_.entries.push_back({static_cast<std::uint32_t>(chunk_.bytes.size()), len, from[i]});
      chunk_.bytes.insert(chunk_.bytes.end(), buffers_.data() + i * kDatagramMax, buffers_.data() + i * kDatagramMax + len);
    }
    report_loss(drops, "SO_RXQ_OVFL");
    return n;
  }

  // Hands the current chunk to the journal thread (or counts it lost past kMaxQueued).
  void flush_chunk() {
    if (chunk_.entries.empty()) return;
    {
      std::lock_guard lock(mutex_);
      if (queued_bytes_ + chunk_.held() > kMaxQueued) {
        overflow_ += chunk_.entries.size();
      } else {
        queued_bytes_ += chunk_.held();
        queue_.push_back(std::move(chunk_));
      }
    }
    queued_cv_.notify_one();
    chunk_ = {};  // grows as datagrams come: the socket is often emptied after a few of them,
                  // a queued chunk reserving 1 MiB each time grew the drain thread's malloc arena to ~1.1 GB at 50k datagrams/s
  }

  void journal_loop() {
    ParsedDatagram parsed;
    std::vector<journal::Journal::Pending> pending;
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(mutex_);
        queued_cv_.wait(lock, [&] { return !queue_.empty() || draining_done_; });
        if (queue_.empty()) return;
        chunk = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= chunk.held();
        journaling_ = true;
      }
      pending.clear();
      for (const auto& e : chunk.entries) {
        std::string_view raw(chunk.bytes.data() + e.offset, e.length);
        parsed.clear();
        parse_statsd_datagram(raw, parsed);
        datagram_events(fake_.name, {++datagrams_, endpoint_text(e.from)}, raw, std::move(parsed), pending);
        if (pending.size() >= kJournalBatch) append(pending);
      }
      append(pending);
      {
        std::lock_guard lock(mutex_);
        journaling_ = false;
      }
      settled_cv_.notify_all();
    }
  }

  void append(std::vector<journal::Journal::Pending>& pending) {
    ctx_.journal().append_batch(std::move(pending));
    pending.clear();  // moved-from: valid, emptied here
  }

  std::uint32_t meminfo_drops() const {
    std::uint32_t info[SK_MEMINFO_VARS] = {};
    socklen_t len = sizeof info;
    if (::getsockopt(fd_, SOL_SOCKET, SO_MEMINFO, info, &len) != 0 || len <= SK_MEMINFO_DROPS * sizeof(std::uint32_t))
      return last_drop_counter_;
    return info[SK_MEMINFO_DROPS];
  }

  // The kernel counters are cumulative for the socket; journal each increase.
  void report_loss(std::uint32_t counter, const char* name) {
    if (counter <= last_drop_counter_) return;
    std::uint64_t delta = counter - last_drop_counter_;
    last_drop_counter_ = counter;
    total_dropped_ += delta;
    ctx_.journal().append({"fake", fake_.name, 0}, journal::ev::statsd_loss,
                          {{"dropped", delta}, {"total", total_dropped_.load()}, {"counter", name}});
  }

  runtime::RunContext& ctx_;
  const model::Fake& fake_;
  const model::MetricFakeSpec& metric_;
  int fd_ = -1;
  int port_ = 0;
  int granted_ = 0;
  bool forced_ = false;
  std::vector<char> buffers_;
  std::thread thread_;          // drain: socket -> chunks
  std::thread journal_thread_;  // chunks -> journal
  Chunk chunk_;                 // being filled by the drain thread
  std::mutex mutex_;
  std::condition_variable queued_cv_;
  std::condition_variable settled_cv_;  // drain_rounds_ or journaling_ changed
  std::uint64_t drain_rounds_ = 0;      // times the drain thread found the socket empty
  bool journaling_ = false;             // the journal thread holds a chunk
  std::deque<Chunk> queue_;
  std::size_t queued_bytes_ = 0;
  std::uint64_t overflow_ = 0;
  bool draining_done_ = false;
  std::atomic<bool> stopping_{false};
  std::uint64_t datagrams_ = 0;
  std::uint32_t last_drop_counter_ = 0;
  std::atomic<std::uint64_t> total_dropped_{0};
};

}  // namespace

std::unique_ptr<FakeServer> make_statsd_udp_fake(runtime::RunContext& ctx, const model::Fake& fake,
                                                 const model::MetricFakeSpec& metric) {
  return std::make_unique<StatsdUdpFake>(ctx, fake, metric);
}

}  // namespace bbx::fakes
