// The TCP server under both TCP fakes (the generic `tcp:` fake and the metric fakes over
// TCP). It binds, accepts, and runs each connection on the run's loop: reads, cuts the
// stream into frames (framing.hpp) and hands each read's frames to the connection's
// handler, sends what the handler queues (in order, with delays and faults), and closes.
// What a fake does with the frames, and everything it journals, is its handler's.
// Asio stays in stream_server.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bbx/model/fakes.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/tcp/framing.hpp"

namespace bbx::fakes {

// Bytes to send on a connection, after everything queued before them.
struct TcpSend {
  std::string bytes;                              // may be empty (a fault alone)
  model::TcpFault fault = model::TcpFault::none;  // close: after sending; reset: RST instead; never: nothing
  model::Duration delay{0};                       // waited before sending; holds back later sends
};

// How a connection ended.
struct TcpClosed {
  std::string by;     // "client" (EOF, once every send went out, or a read error), "fake" (a
                      // close or reset fault), "stop" (the server stopped), "error" (a write failed)
  std::string error;  // the OS's message; "" when none
  model::TcpFault fault = model::TcpFault::none;  // the fault that closed it (close, reset)
  std::size_t unsent = 0;                         // sends queued but not sent
};

// One accepted connection.
struct TcpPeer {
  std::uint64_t conn = 0;  // 1-based, per server, in accept order
  std::string client;      // "ip:port" ("?" when unknown)
};

// What a fake does with one connection. Called on the run's loop; nothing after on_close().
class TcpConnection {
 public:
  virtual ~TcpConnection() = default;
  // The connection was accepted; sends pushed here (a greeting) go out first.
  virtual void on_open(std::vector<TcpSend>& /*send*/) {}
  // The frames one read completed, in stream order (never none); after the client's EOF,
  // the rest of the stream too. Sends pushed here go out after those queued before.
  virtual void on_frames(std::vector<TcpFrame>&& frames, std::vector<TcpSend>& send) = 0;
  // The connection ended. `rest`: the frames of a partial message the framer still held
  // (closed by a read error, a fault, a failed write or stop; after EOF it came through
  // on_frames).
  virtual void on_close(const TcpClosed& closed, std::vector<TcpFrame>&& rest) = 0;
};

struct TcpStreamOptions {
  model::TcpFraming framing;
  std::size_t max_message = 64 * 1024;
  std::size_t head_bytes = 1024;  // kept of an oversize message (Oversize::digest)
  TcpFramer::Oversize oversize = TcpFramer::Oversize::digest;
};

class TcpStreamServer : public FakeServer {
 public:
  // Makes the handler of a new connection.
  using Accept = std::function<std::unique_ptr<TcpConnection>(const TcpPeer& peer)>;

  // Binds fake.host:fake.port (throws like listen_for_fake(): "fake 'kv': cannot listen on
  // ..."); accepts nothing until serve(). Keeps references to ctx and fake.
  TcpStreamServer(runtime::RunContext& ctx, const model::Fake& fake, TcpStreamOptions options);
  ~TcpStreamServer() override;  // stop()s

  // Accepts connections until stop(); each gets accept(peer)'s handler.
  void serve(Accept accept);

  int port() const override;
  const std::string& host() const override;
  std::string url() const override;  // "host:port"
  // Closes the listener, runs the loop's ready handlers (what already arrived is handed to
  // the handlers), then closes every connection (by "stop"). Idempotent.
  void stop() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::fakes
