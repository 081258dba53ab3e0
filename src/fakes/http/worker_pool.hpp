// Threads that serve a fake's connections off the run's loop (`threads:` on an HTTP fake):
// one io_context per thread, each connection on one of them for its whole life.
//
// Contracts:
// - The threads start in the constructor and run until finish() or destruction; a handler
//   that throws ends nothing: the exception is dropped and the thread keeps serving. Each is
//   named `name` (cut to the kernel's 15 bytes) for top -H, perf and /proc/PID/task/*/comm.
// - next() hands out the contexts in turn (round robin); safe from any thread.
// - barrier(limit) returns true once every handler queued on every context before the call
//   has run (so what those handlers journal is in the journal), false when `limit` passed.
// - finish(limit) lets the work still queued end (the owner closed its sockets first),
//   waits up to `limit` for it, then stops the contexts and joins the threads. Objects a
//   pending handler still owns are destroyed with the contexts, in the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace bbx::fakes {

class WorkerPool {
 public:
  WorkerPool(int threads, const std::string& name);  // threads >= 1
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  boost::asio::io_context& next();
  std::size_t size() const { return workers_.size(); }
  bool barrier(std::chrono::milliseconds limit);
  void finish(std::chrono::milliseconds limit);

 private:
  struct Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace bbx::fakes
