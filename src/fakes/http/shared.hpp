// Internal to the HTTP fake: included only by session.hpp (Beast stays in one translation unit).
// What every connection of one HTTP fake shares, and the two kinds of stream a connection has.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "bbx/event.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/http/plan.hpp"
#include "fakes/http/routing.hpp"
#include "fakes/http/upstream.hpp"
#include "fakes/tcp_listen.hpp"

namespace bbx::fakes::http_detail {

namespace ssl = boost::asio::ssl;
using Socket = FakeSocket;  // typed executor: no polymorphic executor copies per operation
using TlsStream = boost::beast::ssl_stream<Socket>;

struct Shared {  // per fake, used by every session: on the loop thread, or on the fake's workers (`threads:`)
  runtime::RunContext& ctx;
  const model::Fake& fake;
  const model::HttpFakeSpec& http;  // fake's spec
  Router router;
  ResponsePlanner planner;
  std::unique_ptr<ssl::context> tls;  // set for HTTPS fakes
  std::shared_ptr<UpstreamPool> upstream_pool = make_upstream_pool();  // proxy mode's idle connections
  EventSource source{"fake", fake.name, 0};  // of every event the fake journals (copied, not rebuilt)
  std::mutex order;       // held to plan and journal a request: one order for all threads
  // Bytes held by requests still being read, over every connection (and thread) of the fake:
  // past kRequestBudget, the request whose read crossed it is refused (413).
  std::atomic<std::int64_t> reading_bytes{0};
};

// What one HTTP fake holds at most for requests still being read, whatever the number of
// connections (each one's own limit is 64 MiB): slow clients cannot run the runner out of memory.
inline constexpr std::int64_t kRequestBudget = std::int64_t{256} << 20;

}  // namespace bbx::fakes::http_detail
