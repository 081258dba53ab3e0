#include "fakes/http/worker_pool.hpp"

#include <pthread.h>

#include <future>

#include <boost/asio/post.hpp>

namespace bbx::fakes {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct WorkerPool::Worker {
  asio::io_context io{1};  // one thread runs it: Asio may skip locking for its queue
  asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
  std::promise<void> ended;
  std::future<void> ended_future = ended.get_future();
  std::thread thread;

  void run() {
    for (;;) {
      try {
        io.run();
        break;
      } catch (...) {  // a handler threw: keep serving the other connections
      }
    }
    ended.set_value();
  }
};

WorkerPool::WorkerPool(int threads, const std::string& name) {
  for (int i = 0; i < threads; ++i) {
    auto w = std::make_unique<Worker>();
    w->thread = std::thread([raw = w.get()] { raw->run(); });
    pthread_setname_np(w->thread.native_handle(), name.substr(0, 15).c_str());
    workers_.push_back(std::move(w));
  }
}

WorkerPool::~WorkerPool() { finish(std::chrono::milliseconds(0)); }

asio::io_context& WorkerPool::next() {
  return workers_[next_.fetch_add(1, std::memory_order_relaxed) % workers_.size()]->io;
}

bool WorkerPool::barrier(std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  std::vector<std::future<void>> reached;
  for (auto& w : workers_) {
    if (w->io.stopped()) continue;
    auto p = std::make_shared<std::promise<void>>();
    reached.push_back(p->get_future());
    asio::post(w->io, [p] { p->set_value(); });
  }
  for (auto& f : reached)
    if (f.wait_until(deadline) != std::future_status::ready) return false;
  return true;
}

void WorkerPool::finish(std::chrono::milliseconds limit) {
  auto deadline = Clock::now() + limit;
  for (auto& w : workers_) w->guard.reset();
  for (auto& w : workers_) {
    if (!w->thread.joinable()) continue;
    if (w->ended_future.wait_until(deadline) != std::future_status::ready) w->io.stop();
    w->thread.join();
  }
}

}  // namespace bbx::fakes
