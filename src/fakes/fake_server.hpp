// A running fake server: bound when constructed, serving on the run's loop until stopped
// or destroyed. Created from its model by make_fake_server().
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "bbx/model/fakes.hpp"
#include "runtime/run_context.hpp"

namespace bbx::fakes {

class FakeServer {
 public:
  virtual ~FakeServer() = default;
  virtual int port() const = 0;               // the bound port (useful with port: auto)
  virtual const std::string& host() const = 0;
  virtual std::string url() const = 0;        // "http://127.0.0.1:9001" (http) or "host:port"
  virtual std::string ca_file() const { return ""; }  // HTTPS: the PEM file clients should trust
  virtual void stop() = 0;                    // closes the listener and every connection
  // Returns once what the fake received before the call is journaled (the UDP statsd fake
  // journals on its own thread, so datagrams may still be queued), or after `limit`.
  // Keeps serving. The driver calls it after the subjects stopped, before the checks that
  // read the journal. Default: nothing is pending outside the run's loop.
  virtual void settle(std::chrono::milliseconds /*limit*/) {}
  // After stop(): why the run must fail because of this fake (e.g. "the kernel dropped 12
  // datagram(s) ..."), or nullopt. The driver turns it into a failed check.
  virtual std::optional<std::string> problem() const { return std::nullopt; }
};

// Binds and starts serving the fake of fake.spec's kind. Keeps references to ctx and fake,
// which must outlive the server. Throws std::runtime_error ("fake 'api': cannot listen on
// 127.0.0.1:9001: Address already in use") when it cannot.
std::unique_ptr<FakeServer> make_fake_server(runtime::RunContext& ctx, const model::Fake& fake);

}  // namespace bbx::fakes
