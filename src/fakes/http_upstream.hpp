// The HTTP fake's client to a proxy upstream: asynchronous on the fake's loop (Beast), one
// per client connection, one exchange at a time (a connection's requests are answered in
// order anyway). The upstream connection is kept alive between exchanges while both
// sides allow it; a request that fails on a kept-alive connection before any response
// byte arrived (the upstream closed it meanwhile) is retried once on a fresh connection.
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

std::shared_ptr<UpstreamClient> make_upstream_client(boost::asio::io_context& io);

}  // namespace bbx::fakes
