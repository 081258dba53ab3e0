// WorkerPool: contexts handed out in turn, handlers on the pool's named threads, barrier()
// and finish() within their limits, a throwing handler not ending its thread.
#include <doctest/doctest.h>

#include <pthread.h>

#include <atomic>
#include <future>
#include <set>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "fakes/http/worker_pool.hpp"

using bbx::fakes::WorkerPool;
using namespace std::chrono_literals;

namespace {

// The id of the thread that runs a handler posted to io (waits at most 5 s).
std::thread::id thread_of(boost::asio::io_context& io) {
  std::promise<std::thread::id> id;
  auto got = id.get_future();
  boost::asio::post(io, [&] { id.set_value(std::this_thread::get_id()); });
  REQUIRE(got.wait_for(5s) == std::future_status::ready);
  return got.get();
}

}  // namespace

TEST_CASE("next() hands out every context in turn, each run by its own thread") {
  WorkerPool pool(3, "pool-test");
  CHECK(pool.size() == 3);
  std::set<boost::asio::io_context*> contexts;
  std::set<std::thread::id> threads;
  for (int i = 0; i < 6; ++i) {
    auto& io = pool.next();
    contexts.insert(&io);
    threads.insert(thread_of(io));
  }
  CHECK(contexts.size() == 3);
  CHECK(threads.size() == 3);
  CHECK(threads.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("the threads carry the pool's name, cut to the kernel's 15 bytes") {
  WorkerPool pool(1, "http:a-rather-long-fake-name");
  std::promise<std::string> name;
  auto got = name.get_future();
  boost::asio::post(pool.next(), [&] {
    char buf[32] = {};
    pthread_getname_np(pthread_self(), buf, sizeof buf);
    name.set_value(buf);
  });
  REQUIRE(got.wait_for(5s) == std::future_status::ready);
  CHECK(got.get() == "http:a-rather-l");
}

TEST_CASE("barrier() returns once the handlers queued before it ran, or false after its limit") {
  WorkerPool pool(2, "pool-test");
  std::atomic<int> done{0};
  for (int i = 0; i < 4; ++i)
    boost::asio::post(pool.next(), [&] {
      std::this_thread::sleep_for(50ms);
      ++done;
    });
  CHECK(pool.barrier(5s));
  CHECK(done == 4);

  std::promise<void> release;
  auto released = release.get_future().share();
  boost::asio::post(pool.next(), [released] { released.wait(); });
  CHECK_FALSE(pool.barrier(100ms));  // one thread is held
  release.set_value();
  CHECK(pool.barrier(5s));
}

TEST_CASE("a handler that throws leaves its thread serving") {
  WorkerPool pool(1, "pool-test");
  boost::asio::post(pool.next(), [] { throw std::runtime_error("boom"); });
  std::atomic<bool> ran{false};
  boost::asio::post(pool.next(), [&] { ran = true; });
  CHECK(pool.barrier(5s));
  CHECK(ran);
}

TEST_CASE("finish() lets queued work end, and stops what outlives its limit") {
  SUBCASE("queued handlers run before the threads end") {
    WorkerPool pool(2, "pool-test");
    std::atomic<int> done{0};
    for (int i = 0; i < 4; ++i) boost::asio::post(pool.next(), [&] { ++done; });
    pool.finish(5s);
    CHECK(done == 4);
  }
  SUBCASE("a timer an hour away is cut at the limit") {
    WorkerPool pool(1, "pool-test");
    boost::asio::steady_timer timer(pool.next(), 1h);
    bool fired = false;
    timer.async_wait([&](boost::system::error_code ec) { fired = !ec; });
    auto start = std::chrono::steady_clock::now();
    pool.finish(200ms);
    CHECK(std::chrono::steady_clock::now() - start < 30s);  // not the hour
    CHECK_FALSE(fired);
  }
}
