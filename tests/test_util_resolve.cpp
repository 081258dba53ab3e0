// util::resolve_then: an IP address resolves without a resolver thread (Asio would join it
// before every fork), always reporting from the loop; a name still resolves.
#include <doctest/doctest.h>

#include <filesystem>

#include <boost/asio/io_context.hpp>

#include "util/resolve.hpp"

namespace {

using tcp = boost::asio::ip::tcp;

std::size_t threads_of_this_process() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& task : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

}  // namespace

TEST_CASE("an IP address resolves from the loop without starting a resolver thread") {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  auto threads_before = threads_of_this_process();
  int calls = 0;
  tcp::endpoint got;
  bbx::util::resolve_then(resolver, "127.0.0.1", "8080", [&](boost::system::error_code ec, tcp::resolver::results_type r) {
    ++calls;
    REQUIRE_FALSE(ec);
    REQUIRE(r.size() == 1);
    got = r.begin()->endpoint();
  });
  CHECK(calls == 0);  // not before returning
  io.run();
  CHECK(calls == 1);
  CHECK(got == tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 8080));
  CHECK(threads_of_this_process() == threads_before);
}

TEST_CASE("an IPv6 address resolves the same way") {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  tcp::endpoint got;
  bbx::util::resolve_then(resolver, "::1", "443", [&](boost::system::error_code ec, tcp::resolver::results_type r) {
    REQUIRE_FALSE(ec);
    got = r.begin()->endpoint();
  });
  io.run();
  CHECK(got == tcp::endpoint(boost::asio::ip::make_address("::1"), 443));
}

TEST_CASE("a host name goes to the resolver and is reported once") {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  int calls = 0;
  bool loopback = false;
  bbx::util::resolve_then(resolver, "localhost", "80", [&](boost::system::error_code ec, tcp::resolver::results_type r) {
    ++calls;
    REQUIRE_FALSE(ec);
    for (const auto& entry : r) loopback = loopback || entry.endpoint().address().is_loopback();
  });
  io.run();
  CHECK(calls == 1);
  CHECK(loopback);
}

TEST_CASE("an unknown service name is an error, reported once") {
  boost::asio::io_context io;
  tcp::resolver resolver(io);
  int calls = 0;
  boost::system::error_code got;
  bbx::util::resolve_then(resolver, "127.0.0.1", "no-such-service-bbx", [&](boost::system::error_code ec, tcp::resolver::results_type) {
    ++calls;
    got = ec;
  });
  io.run();
  CHECK(calls == 1);
  CHECK(got);
}
