// RunContext's waits: a halt (a subject's unexpected exit) ends every run_until at once,
// except inside a HaltShield; an interrupt ends them all; the first reason of each is kept.
// Appends from other threads wake a wait on the journal (their drain runs on the loop).
#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "run_context_rig.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using bbx::runtime::RunContext;

struct Rig : bbx::testing::RunContextRig {
  Rig() : RunContextRig("bbx-ctx") {}

  // Seconds a wait for something that never happens took, with a 2 s deadline.
  double never_for_2s() {
    auto begun = Clock::now();
    CHECK_FALSE(ctx.run_until([] { return false; }, Clock::now() + std::chrono::seconds(2)));
    return std::chrono::duration<double>(Clock::now() - begun).count();
  }
};

}  // namespace

TEST_CASE("a halt while run_until waits ends the wait at once; later waits end at once too") {
  Rig rig;
  boost::asio::steady_timer timer(rig.ctx.io(), std::chrono::milliseconds(50));
  timer.async_wait([&](boost::system::error_code) { rig.ctx.halt("subject 'app' exited with code 7"); });
  CHECK(rig.never_for_2s() < 1.0);
  CHECK(rig.ctx.halted());
  CHECK(rig.ctx.cut_short());
  CHECK(rig.ctx.cut_reason() == "subject 'app' exited with code 7");
  CHECK(rig.never_for_2s() < 0.1);
  CHECK_FALSE(rig.ctx.aborted());  // the verdict stays the driver's: failed, not interrupted
}

TEST_CASE("a halted run_until still returns true when its condition already holds") {
  Rig rig;
  rig.ctx.halt("subject 'app' exited with code 7");
  CHECK(rig.ctx.run_until([] { return true; }, Clock::now() + std::chrono::seconds(2)));
}

TEST_CASE("inside a HaltShield a halt does not end waits; an interrupt does") {
  Rig rig;
  rig.ctx.halt("subject 'app' exited with code 7");
  {
    RunContext::HaltShield shield(rig.ctx);
    CHECK_FALSE(rig.ctx.cut_short());
    bool fired = false;
    boost::asio::steady_timer timer(rig.ctx.io(), std::chrono::milliseconds(100));
    timer.async_wait([&](boost::system::error_code) { fired = true; });
    CHECK(rig.ctx.run_until([&] { return fired; }, Clock::now() + std::chrono::seconds(2)));
    rig.ctx.request_abort("interrupted (SIGINT)");
    CHECK(rig.ctx.cut_short());
    CHECK(rig.ctx.cut_reason() == "interrupted (SIGINT)");
    CHECK(rig.never_for_2s() < 0.1);
  }
  CHECK(rig.ctx.cut_short());
}

TEST_CASE("the first halt reason is kept") {
  Rig rig;
  rig.ctx.halt("subject 'a' exited with code 1");
  rig.ctx.halt("subject 'b' exited with code 2");
  CHECK(rig.ctx.halt_reason() == "subject 'a' exited with code 1");
}

TEST_CASE("a wait on the journal is woken by another thread's append, not by its deadline") {
  Rig rig;
  auto before = rig.journal.size();
  std::thread other([&] {  // its append posts the journal's drain: a handler on the waiting loop
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    rig.journal.append({"test", "other", 0}, bbx::journal::ev::mark, {{"n", 1}});
  });
  auto begun = Clock::now();
  CHECK(rig.ctx.run_until([&] { return rig.journal.size() > before; }, Clock::now() + std::chrono::seconds(30)));
  other.join();
  CHECK(Clock::now() - begun < std::chrono::seconds(10));  // the deadline was 30 s away
}

namespace {

std::size_t lines_in(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

}  // namespace

TEST_CASE("while the loop is pumped the loop writes the journal; outside a pump every append is in the file") {
  Rig rig;
  auto path = rig.journal.path();
  auto base = lines_in(path);
  rig.journal.append({"test", "t", 0}, bbx::journal::ev::mark, {});
  CHECK(lines_in(path) == base + 1);  // no pump: written by the append

  std::size_t while_queued = 0, after_drain = 0;
  int step = 0;
  CHECK(rig.ctx.run_until(
      [&] {  // evaluated before and after each handler the loop runs
        if (step == 0) {  // the append only queues; its drain is the loop's next handler
          rig.journal.append({"test", "t", 0}, bbx::journal::ev::mark, {});
          while_queued = lines_in(path);
        } else if (step == 1) {
          after_drain = lines_in(path);
        }
        step = std::min(step + 1, 2);
        return step == 2;
      },
      Clock::now() + std::chrono::seconds(10)));
  CHECK(while_queued == base + 1);
  CHECK(after_drain == base + 2);

  std::thread other([&] { rig.journal.append({"test", "other", 0}, bbx::journal::ev::mark, {}); });
  other.join();
  CHECK(lines_in(path) == base + 3);  // the pump is over: another thread's append is written at once
}
