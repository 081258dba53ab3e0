// Resolving host:port before a connect on an Asio loop (include only in Asio translation
// units). An IP address is resolved at once in the caller's thread (getaddrinfo with
// AI_NUMERICHOST: no name service, no netlink query), so no resolver thread is started:
// Asio joins that thread before every fork of the process, and a runner forks each subject
// and command. Only a name goes to resolver.async_resolve.
#pragma once

#include <string>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

namespace bbx::util {

// Calls then(error_code, results) exactly once, from the loop (never before returning).
// resolver.cancel() ends a pending name lookup with an error.
template <class Then>
void resolve_then(boost::asio::ip::tcp::resolver& resolver, const std::string& host, const std::string& port,
                  Then&& then) {
  using tcp = boost::asio::ip::tcp;
  boost::system::error_code ec;
  auto numeric = resolver.resolve(host, port, tcp::resolver::numeric_host | tcp::resolver::numeric_service, ec);
  if (!ec) {
    boost::asio::post(resolver.get_executor(), [then = std::forward<Then>(then), numeric]() mutable {
      then(boost::system::error_code(), numeric);
    });
    return;
  }
  resolver.async_resolve(host, port, std::forward<Then>(then));
}

}  // namespace bbx::util
