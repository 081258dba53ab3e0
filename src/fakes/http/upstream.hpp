// The HTTP fake's client to a proxy upstream: asynchronous on the fake's loop (Beast), one
// per client connection, one exchange at a time (a connection's requests are answered in
// order anyway). The upstream connection is kept alive between exchanges while both
// sides allow it; a request that fails on a kept-alive connection before any response
// byte arrived (the upstream closed it meanwhile) is retried once on a fresh connection.
// A client destroyed while its connection is idle and open leaves the connection in its
// fake's UpstreamPool, where the fake's next client to that upstream takes it.
//
// https:// upstreams are spoken to over TLS (OpenSSL; this header stays free of it): SNI
// names the host (unless it is an IP address, which SNI cannot carry), and the
// certificate must chain to a trusted CA and name the host (DNS name or IP address)
// unless UpstreamTls::insecure. A connection is reused only for the same scheme,
// authority and verification settings.
#pragma once

#include <functional>
#include <memory>

#include "bbx/model/common.hpp"
#include "fakes/http/proxy.hpp"
#include "runtime/run_context.hpp"

namespace bbx::fakes {

// How an https:// upstream's certificate is checked (unused for http://).
struct UpstreamTls {
  std::string ca_file;    // a PEM file of trusted CAs; "" = the system's CA store
  bool insecure = false;  // no verification at all (tests only)
};

class UpstreamClient {
 public:
  using Done = std::function<void(UpstreamResult)>;
  virtual ~UpstreamClient() = default;

  // Sends `request` to `url` and calls done exactly once, on the loop: ok with the answer;
  // unreachable (resolve or connect failed); timeout (no complete answer within
  // `timeout` of the start, error "no complete answer within 5s"); failed (the upstream
  // broke the exchange: "receive: end of stream"; TLS: "tls: certificate verification
  // failed: self-signed certificate", "tls handshake: <reason>", "tls: cannot load CA
  // file <path>: <reason>"), or failed with error "closed" when close() interrupted it.
  // Never throws; one exchange at a time (a second call while one runs is a programming
  // error). `tls` applies when url.tls.
  virtual void exchange(const UpstreamUrl& url, const UpstreamTls& tls, const UpstreamRequest& request,
                        model::Duration timeout, Done done) = 0;

  // Closes the upstream connection; a running exchange ends as failed ("closed").
  virtual void close() = 0;
};

// The proxy's upstream for this run: `to` (and `ca_file`) expanded with the run's
// variables, then parsed; a relative ca_file is taken from the scenario file's directory.
struct ProxyTarget {
  std::string url;                    // as expanded ("" when expansion failed)
  std::optional<UpstreamUrl> parsed;  // nullopt: `error` says why
  UpstreamTls tls;
  std::string error;
};
ProxyTarget proxy_target(const runtime::RunContext& ctx, const model::HttpProxy& proxy);

// Idle upstream connections, per fake: at most 16 (the oldest beyond are closed), and the
// TLS client settings made so far (a CA store is loaded once per fake). Loop thread only.
// close_all() (when the fake stops) closes the connections and refuses more.
class UpstreamPool {
 public:
  virtual ~UpstreamPool() = default;
  virtual void close_all() = 0;
  virtual std::size_t idle() const = 0;
};
std::shared_ptr<UpstreamPool> make_upstream_pool();

// pool: where idle connections come from and go to (nullptr: none; TLS settings are then
// the client's own).
std::shared_ptr<UpstreamClient> make_upstream_client(boost::asio::io_context& io,
                                                     const std::shared_ptr<UpstreamPool>& pool = nullptr);

}  // namespace bbx::fakes
