// util/signals: names <-> numbers, and the interrupt set runners block and unblock.
#include <doctest/doctest.h>

#include <csignal>

#include "util/signals.hpp"

using namespace bbx::util;

TEST_CASE("signal names parse with or without SIG, and numbers too") {
  CHECK(signal_from_name("TERM") == SIGTERM);
  CHECK(signal_from_name("SIGHUP") == SIGHUP);
  CHECK(signal_from_name("9") == SIGKILL);
  CHECK_FALSE(signal_from_name("NOPE").has_value());
  CHECK(signal_name(SIGINT) == "SIGINT");
}

TEST_CASE("the interrupt set holds exactly SIGINT and SIGTERM") {
  sigset_t set = interrupt_signals();
  for (int s = 1; s < NSIG; ++s) {
    CAPTURE(s);
    CHECK(sigismember(&set, s) == (s == SIGINT || s == SIGTERM ? 1 : 0));
  }
}
