#include "runtime/run_loop.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace bbx::runtime {

struct RunLoop::Loop {
  // No locking in the reactor's I/O: sockets, timers and descriptors are only ever used on
  // the loop thread. Other threads (statsd, the resolver) may only post to it.
  boost::asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_alive =
      boost::asio::make_work_guard(io);
};

RunLoop::RunLoop(journal::Journal& journal) : loop_(std::make_unique<Loop>()), journal_(journal) {}

RunLoop::~RunLoop() = default;

boost::asio::io_context& RunLoop::io() { return loop_->io; }

// While the driver pumps the loop, the journal queues events and the loop drains them,
// between its other handlers (the HTTP fake's hot path makes no system call for them).
// Leaving the outermost pump writes what is queued and has appenders write their own
// events again, so the file is complete whenever the loop is not pumped (pauses, reports,
// a crash between phases), whichever thread appends meanwhile.
class RunLoop::PumpScope {
 public:
  explicit PumpScope(RunLoop& loop) : loop_(loop) {
    if (loop_.pumping_++ > 0) return;
    auto& io = loop_.loop_->io;
    loop_.journal_.write_on([&io](std::function<void()> drain) { boost::asio::post(io, std::move(drain)); });
  }
  ~PumpScope() {
    if (--loop_.pumping_ == 0) loop_.journal_.write_on({});  // a write error: the next append throws it
  }
  PumpScope(const PumpScope&) = delete;
  PumpScope& operator=(const PumpScope&) = delete;

 private:
  RunLoop& loop_;
};

bool RunLoop::run_until(const std::function<bool()>& pred, std::chrono::steady_clock::time_point deadline) {
  PumpScope pump(*this);
  for (;;) {
    if (pred()) return true;
    if (cut_short()) return false;
    if (std::chrono::steady_clock::now() >= deadline) return pred();
    if (loop_->io.run_one_until(deadline) == 0) continue;
    // Handlers that are ready already run without a clock read and a timed wait each (the
    // HTTP fake under load completes several per request); pred is still checked after
    // every one, the deadline after at most kBatch.
    constexpr int kBatch = 64;
    for (int i = 0; i < kBatch && !pred() && !cut_short() && loop_->io.poll_one(); ++i) {
    }
  }
}

void RunLoop::poll() {
  PumpScope pump(*this);
  loop_->io.poll();
}

void RunLoop::request_abort(std::string reason) {
  if (abort_reason_.empty()) abort_reason_ = std::move(reason);
}

void RunLoop::halt(std::string reason) {
  if (halt_reason_.empty()) halt_reason_ = std::move(reason);
}

}  // namespace bbx::runtime
