#include "runtime/run_context.hpp"

#include <cstdlib>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

namespace bbx::runtime {

struct RunContext::Loop {
  // No locking in the reactor's I/O: sockets, timers and descriptors are only ever used on
  // the loop thread. Other threads (statsd, the resolver) may only post to it.
  boost::asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> keep_alive =
      boost::asio::make_work_guard(io);
};

RunContext::RunContext(const Scenario& scenario, journal::Journal& journal, std::filesystem::path scenario_dir,
                       std::filesystem::path sandbox_dir, std::string isolation)
    : loop_(std::make_unique<Loop>()),
      scenario_(scenario),
      journal_(journal),
      scenario_dir_(std::move(scenario_dir)),
      sandbox_dir_(std::move(sandbox_dir)),
      isolation_(std::move(isolation)) {
  values_["sandbox"] = sandbox_dir_.string();
  values_["scenario.name"] = scenario.name;
  values_["scenario.id"] = scenario.id;
  for (const auto& [k, v] : scenario.vars) {
    values_[k] = v;
    values_["vars." + k] = v;
  }
}

RunContext::~RunContext() = default;

boost::asio::io_context& RunContext::io() { return loop_->io; }

// While the driver pumps the loop, the journal queues events and the loop drains them,
// between its other handlers (the HTTP fake's hot path makes no system call for them).
// Leaving the outermost pump writes what is queued and has appenders write their own
// events again, so the file is complete whenever the loop is not pumped (pauses, reports,
// a crash between phases), whichever thread appends meanwhile.
class RunContext::PumpScope {
 public:
  explicit PumpScope(RunContext& ctx) : ctx_(ctx) {
    if (ctx_.pumping_++ > 0) return;
    auto& io = ctx_.loop_->io;
    ctx_.journal_.write_on([&io](std::function<void()> drain) { boost::asio::post(io, std::move(drain)); });
  }
  ~PumpScope() {
    if (--ctx_.pumping_ == 0) ctx_.journal_.write_on({});  // a write error: the next append throws it
  }
  PumpScope(const PumpScope&) = delete;
  PumpScope& operator=(const PumpScope&) = delete;

 private:
  RunContext& ctx_;
};

bool RunContext::run_until(const std::function<bool()>& pred, std::chrono::steady_clock::time_point deadline) {
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

int RunContext::allocate_free_port() const {
  // Bind port 0 on loopback, read the port, close: the kernel does not hand the same
  // ephemeral port out again soon, and no subject can bind it while we hold it.
  boost::asio::ip::tcp::acceptor a(loop_->io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

void RunContext::poll() {
  PumpScope pump(*this);
  loop_->io.poll();
}

std::optional<std::string> RunContext::value(const std::string& name) const {
  if (name.rfind("env.", 0) == 0) {
    const char* v = std::getenv(name.c_str() + 4);
    return v ? std::optional<std::string>(v) : std::optional<std::string>("");
  }
  auto it = values_.find(name);
  if (it == values_.end() && name.rfind("ports.", 0) == 0)  // ${ports.NAME}: a free port, same on every use
    it = values_.emplace(name, std::to_string(allocate_free_port())).first;
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string RunContext::expand(const model::Template& t) const {
  return scenario::expand(t, [this](const std::string& name) { return value(name); });
}

std::map<std::string, std::string> RunContext::values_with_prefix(const std::string& prefix) const {
  std::map<std::string, std::string> out;
  for (auto it = values_.lower_bound(prefix); it != values_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    out.insert(*it);
  return out;
}

void RunContext::request_abort(std::string reason) {
  if (abort_reason_.empty()) abort_reason_ = std::move(reason);
}

void RunContext::halt(std::string reason) {
  if (halt_reason_.empty()) halt_reason_ = std::move(reason);
}

}  // namespace bbx::runtime
