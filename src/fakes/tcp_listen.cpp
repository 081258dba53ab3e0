#include "fakes/tcp_listen.hpp"

#include <sys/socket.h>

#include <chrono>
#include <stdexcept>

#include <boost/asio/steady_timer.hpp>

#include "journal/event_types.hpp"

namespace bbx::fakes {

int listen_for_fake(boost::asio::ip::tcp::acceptor& acceptor, const model::Fake& fake) {
  namespace asio = boost::asio;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(fake.host, ec);
  if (ec) fail_scenario("fake '" + fake.name + "': invalid host '" + fake.host + "'");
  asio::ip::tcp::endpoint ep(address, static_cast<unsigned short>(fake.port));
  acceptor.open(ep.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    fail_harness("fake '" + fake.name + "': cannot listen on " + fake.host + ":" +
                             std::to_string(fake.port) + ": " + ec.message());
  return acceptor.local_endpoint().port();
}

void accept_connections(boost::asio::ip::tcp::acceptor& acceptor, std::shared_ptr<bool> alive, AcceptErrors errors,
                        std::function<void(FakeSocket)> on_accept) {
  auto& io = static_cast<boost::asio::io_context&>(boost::asio::query(acceptor.get_executor(), boost::asio::execution::context));
  acceptor.async_accept(io, [&acceptor, &io, alive, errors, on_accept = std::move(on_accept)](
                                boost::system::error_code ec, FakeSocket socket) mutable {
    if (!*alive || ec == boost::asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {  // the connection stays queued: accepting again at once would spin on it
      errors.ctx.journal().append({"fake", errors.fake, 0}, journal::ev::fake_accept_error,
                                  {{"error", ec.message()},
                                   {"errno", ec.value()},
                                   {"pause_ms", std::chrono::duration_cast<std::chrono::milliseconds>(kAcceptPause).count()}});
      auto timer = std::make_shared<boost::asio::steady_timer>(io, kAcceptPause);
      timer->async_wait([timer, &acceptor, alive, errors, on_accept = std::move(on_accept)](boost::system::error_code) mutable {
        if (!*alive || !acceptor.is_open()) return;
        accept_connections(acceptor, std::move(alive), errors, std::move(on_accept));
      });
      return;
    }
    socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
    on_accept(std::move(socket));
    accept_connections(acceptor, std::move(alive), errors, std::move(on_accept));
  });
}

namespace {

util::TcpEndpoint bytes_of(const boost::asio::ip::tcp::endpoint& ep) {
  util::TcpEndpoint out;
  out.port = ep.port();
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) a = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  if (a.is_v4()) {
    out.family = AF_INET;
    auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.address.begin());
  } else {
    out.family = AF_INET6;
    auto b = a.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), out.address.begin());
  }
  return out;
}

}  // namespace

std::shared_ptr<const nlohmann::json> connection_origin(runtime::RunContext& ctx, const FakeSocket& socket) {
  boost::system::error_code e1, e2;
  auto local = socket.local_endpoint(e1);
  auto remote = socket.remote_endpoint(e2);
  if (e1 || e2) return nullptr;
  auto origin = ctx.client_origin(bytes_of(local), bytes_of(remote));
  if (!origin) return nullptr;
  return std::make_shared<const nlohmann::json>(
      nlohmann::json{{"kind", origin->kind}, {"name", origin->name}, {"pid", origin->pid}});
}

}  // namespace bbx::fakes
