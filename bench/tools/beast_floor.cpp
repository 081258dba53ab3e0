// The floor of bbx's HTTP stack, for bench/http.sh: one thread, Boost.Beast's request parser
// on Asio's epoll reactor (as the HTTP fake), keep-alive, TCP_NODELAY, one fixed response,
// and nothing else: no routing, no capture, no journal. http.ratio_vs_beast_floor is what
// routing and full capture cost (about 1: nothing measurable; the floor is measured in rep 1
// only, so +-10% is this machine's drift), and http.beast_floor_ratio_vs_nginx is what a
// plain single-threaded Beast server reaches against nginx here.
// Usage: beast_floor PORT   (binds 127.0.0.1:PORT, runs until killed)
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

namespace {

const std::string kResponse = "HTTP/1.1 200 OK\r\nServer: floor\r\nContent-Length: 2\r\n\r\nok";

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(Socket socket) : socket_(std::move(socket)) {}

  void read() {
    parser_.emplace();
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (!ec) self->write();
    });
  }

 private:
  void write() {
    bool keep_alive = parser_->get().keep_alive();
    asio::async_write(socket_, asio::buffer(kResponse), [self = shared_from_this(), keep_alive](boost::system::error_code ec, std::size_t) {
      if (!ec && keep_alive) self->read();
    });
  }

  Socket socket_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
};

void accept(asio::basic_socket_acceptor<tcp, asio::io_context::executor_type>& acceptor) {
  acceptor.async_accept([&acceptor](boost::system::error_code ec, Socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(socket))->read();
    }
    accept(acceptor);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: beast_floor PORT\n";
    return 2;
  }
  asio::io_context io{1};
  asio::basic_socket_acceptor<tcp, asio::io_context::executor_type> acceptor(
      io.get_executor(), {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1]))});
  accept(acceptor);
  io.run();
}
