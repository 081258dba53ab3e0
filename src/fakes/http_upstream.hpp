// The HTTP fake's client to a proxy upstream: asynchronous on the fake's loop (Beast), one
// per client connection, one exchange at a time (a connection's requests are answered in
// order anyway). The upstream connection is kept alive between exchanges while both
// sides allow it; a request that fails on a kept-alive connection before any response
// byte arrived (the upstream closed it meanwhile) is retried once on a fresh connection.
// A client destroyed while its connection is idle and open leaves the connection in its
// fake's UpstreamPool, where the fake's next client to that upstream takes it.
#pragma once

#include <functional>
#include <memory>

#include "bbx/model/common.hpp"
#include "fakes/http_proxy.hpp"
#include "runner/run_context.hpp"

namespace bbx::fakes {

class UpstreamClient {
 public:
  using Done = std::function<void(UpstreamResult)>;
  virtual ~UpstreamClient() = default;

  // Sends `request` to `url` and calls done exactly once, on the loop: ok with the answer;
  // unreachable (resolve or connect failed); timeout (no complete answer within
  // `timeout` of the start, error "no complete answer within 5s"); failed (the upstream
  // broke the exchange: "receive: end of stream"), or failed with error "closed" when
  // close() interrupted it. Never throws; one exchange at a time (a second call while one
  // runs is a programming error).
  virtual void exchange(const UpstreamUrl& url, const UpstreamRequest& request, model::Duration timeout, Done done) = 0;

  // Closes the upstream connection; a running exchange ends as failed ("closed").
  virtual void close() = 0;
};

// The proxy's upstream for this run: `to` expanded with the run's variables, then parsed.
struct ProxyTarget {
  std::string url;                    // as expanded ("" when expansion failed)
  std::optional<UpstreamUrl> parsed;  // nullopt: `error` says why
  std::string error;
};
ProxyTarget proxy_target(const runner::RunContext& ctx, const model::HttpProxy& proxy);

// Idle upstream connections, per fake: at most 16 (the oldest beyond are closed).
// Loop thread only. close_all() (when the fake stops) closes them and refuses more.
class UpstreamPool {
 public:
  virtual ~UpstreamPool() = default;
  virtual void close_all() = 0;
  virtual std::size_t idle() const = 0;
};
std::shared_ptr<UpstreamPool> make_upstream_pool();

// pool: where idle connections come from and go to (nullptr: none).
std::shared_ptr<UpstreamClient> make_upstream_client(boost::asio::io_context& io,
                                                     const std::shared_ptr<UpstreamPool>& pool = nullptr);

}  // namespace bbx::fakes
