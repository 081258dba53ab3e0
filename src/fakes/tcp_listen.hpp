// Binding a TCP fake's listener and accepting its connections: shared by the HTTP fake and
// the TCP stream server (tcp/stream_server.hpp). Included only by the fakes' Asio
// translation units.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <nlohmann/json.hpp>

#include "bbx/model/fakes.hpp"
#include "runtime/run_context.hpp"

namespace bbx::fakes {

// An accepted connection, bound to the runner's io_context by type (no polymorphic executor
// on its operations); converts implicitly to a plain tcp::socket.
using FakeSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Opens, binds (SO_REUSEADDR) and listens on fake.host:fake.port (0 = any free port).
// Returns the bound port. Throws std::runtime_error naming the fake, the address and the
// OS's reason ("fake 'api': cannot listen on 127.0.0.1:9001: Address already in use").
int listen_for_fake(boost::asio::ip::tcp::acceptor& acceptor, const model::Fake& fake);

// Accepts connections until the acceptor is closed or *alive turns false (the fake is
// destroyed; pending handlers keep `alive` and never touch the fake then). Each accepted
// socket gets TCP_NODELAY and is handed to on_accept. An accept error (EMFILE at the fd
// limit, ENFILE, ENOBUFS, ...) is journaled as fake.accept_error on errors.ctx's journal
// and pauses accepting for kAcceptPause: the refused connection waits in the backlog, so
// accepting again at once would spin. The acceptor must have been made on an io_context.
inline constexpr std::chrono::milliseconds kAcceptPause{50};
struct AcceptErrors {
  runtime::RunContext& ctx;
  std::string fake;  // the fake's name, the events' source
};
void accept_connections(boost::asio::ip::tcp::acceptor& acceptor, std::shared_ptr<bool> alive, AcceptErrors errors,
                        std::function<void(FakeSocket)> on_accept);

// Who sent a connection (runtime/client_origin.hpp), as the `from` object the fakes journal
// with what it carried: {"kind": "subject"|"bbx"|"process", "name", "pid"}; null when
// nobody was found. On the loop thread, once per accepted connection.
std::shared_ptr<const nlohmann::json> connection_origin(runtime::RunContext& ctx, const FakeSocket& socket);

}  // namespace bbx::fakes
