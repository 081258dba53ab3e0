#include "fakes/tcp/stream_server.hpp"

#include <array>
#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "fakes/tcp_listen.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const TcpStreamOptions& options, std::uint64_t conn)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        framer_(options.framing, options.max_message, options.head_bytes, options.oversize) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_ = {conn, ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port())};
  }

  const TcpPeer& peer() const { return peer_; }

  void start(std::unique_ptr<TcpConnection> handler) {
    handler_ = std::move(handler);
    std::vector<TcpSend> send;
    handler_->on_open(send);
    queue(send);
    read();
    pump();
  }

  void stop() { close("stop", "", model::TcpFault::none); }

 private:
  void queue(std::vector<TcpSend>& send) {
    for (auto& s : send) work_.push_back(std::move(s));
  }

  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  // The frames of one read go to the handler together, then the sends it queued go out.
  void on_read(boost::system::error_code ec, std::size_t n) {
    if (closed_) return;
    auto frames = framer_.feed(std::string_view(chunk_.data(), n));
    eof_ = ec == asio::error::eof;  // half-closed: answer what arrived, then close
    if (eof_)
      for (auto& f : framer_.finish()) frames.push_back(std::move(f));
    if (!frames.empty()) {
      std::vector<TcpSend> send;
      handler_->on_frames(std::move(frames), send);
      queue(send);
    }
    if (ec && !eof_) return close("client", ec.message(), model::TcpFault::none);
    if (!ec) read();
    pump();
  }

  // Sends the queued bytes in order, each after its delay. Sends ready at once are written
  // together (up to one that closes), so a fast client is not answered one write
  // round-trip per message.
  void pump() {
    if (busy_ || closed_) return;
    if (work_.empty()) {
      if (eof_) close("client", "", model::TcpFault::none);
      return;
    }
    busy_ = true;
    current_ = std::move(work_.front());
    work_.pop_front();
    auto joinable = [](const TcpSend& w) { return w.delay.count() <= 0 && w.fault != model::TcpFault::reset; };
    while (current_.delay.count() <= 0 && current_.fault == model::TcpFault::none && !work_.empty() &&
           joinable(work_.front())) {
      current_.bytes += work_.front().bytes;
      current_.fault = work_.front().fault == model::TcpFault::close ? model::TcpFault::close : model::TcpFault::none;
      work_.pop_front();
    }
    if (current_.delay.count() <= 0) return execute();
    timer_.expires_after(current_.delay);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (!ec && !self->closed_) self->execute();
    });
  }

  void execute() {
    if (current_.fault == model::TcpFault::never) return done({});
    if (current_.fault == model::TcpFault::reset) {
      boost::system::error_code ec;
      socket_.set_option(asio::socket_base::linger(true, 0), ec);
      busy_ = false;
      return close("fake", "", model::TcpFault::reset);
    }
    if (current_.bytes.empty()) return done({});
    asio::async_write(socket_, asio::buffer(current_.bytes),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        if (!self->closed_) self->done(ec);
                      });
  }

  void done(boost::system::error_code ec) {
    busy_ = false;
    if (ec) return close("error", ec.message(), model::TcpFault::none);
    if (current_.fault == model::TcpFault::close) return close("fake", "", model::TcpFault::close);
    pump();
  }

  void close(const std::string& by, const std::string& error, model::TcpFault fault) {
    if (closed_) return;
    closed_ = true;
    timer_.cancel();
    boost::system::error_code ec;
    if (fault != model::TcpFault::reset) socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    TcpClosed closed{by, error, fault, work_.size() + (busy_ && !current_.bytes.empty() ? 1 : 0)};
    handler_->on_close(closed, framer_.finish());
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  TcpPeer peer_;
  TcpFramer framer_;
  std::unique_ptr<TcpConnection> handler_;
  std::array<char, 16 * 1024> chunk_{};
  std::deque<TcpSend> work_;
  TcpSend current_{};
  bool busy_ = false;
  bool eof_ = false;
  bool closed_ = false;
};

}  // namespace

struct TcpStreamServer::Impl {
  Impl(runtime::RunContext& ctx, const model::Fake& fake, TcpStreamOptions options)
      : ctx(ctx), fake(fake), options(std::move(options)), acceptor(ctx.io()) {}

  runtime::RunContext& ctx;
  const model::Fake& fake;
  TcpStreamOptions options;
  tcp::acceptor acceptor;
  int port = 0;
  std::uint64_t connections = 0;
  std::vector<std::weak_ptr<Session>> sessions;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);  // read by pending accept handlers
};

TcpStreamServer::TcpStreamServer(runtime::RunContext& ctx, const model::Fake& fake, TcpStreamOptions options)
    : impl_(std::make_unique<Impl>(ctx, fake, std::move(options))) {
  impl_->port = listen_for_fake(impl_->acceptor, fake);
}

TcpStreamServer::~TcpStreamServer() {
  *impl_->alive = false;
  stop();
}

void TcpStreamServer::serve(Accept accept) {
  Impl* s = impl_.get();
  accept_connections(s->acceptor, s->alive, {s->ctx, s->fake.name}, [s, accept = std::move(accept)](tcp::socket socket) {
    auto session = std::make_shared<Session>(std::move(socket), s->options, ++s->connections);
    std::erase_if(s->sessions, [](const auto& w) { return w.expired(); });
    s->sessions.push_back(session);
    session->start(accept(session->peer()));
  });
}

int TcpStreamServer::port() const { return impl_->port; }
const std::string& TcpStreamServer::host() const { return impl_->fake.host; }
std::string TcpStreamServer::url() const { return impl_->fake.host + ":" + std::to_string(impl_->port); }

void TcpStreamServer::stop() {
  boost::system::error_code ec;
  impl_->acceptor.close(ec);
  impl_->ctx.poll();  // hand over what already arrived
  for (auto& weak : impl_->sessions)
    if (auto s = weak.lock()) s->stop();
  impl_->sessions.clear();
}

}  // namespace bbx::fakes
