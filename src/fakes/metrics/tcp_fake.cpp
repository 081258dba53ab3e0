// Metric fakes over TCP on the run's loop: statsd lines (`statsd: {protocol: tcp}`) and
// graphite plaintext (`graphite: {...}`). Each read's complete lines are parsed and
// journaled as one statsd.datagram (transport "tcp") with its samples (metric_journal.hpp);
// a partial last line waits for the rest, and one still unterminated when the client
// closes is parsed as it is. Lines longer than 64 KiB are journaled as parse errors.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>

#include "fakes/tcp_listen.hpp"
#include "fakes/fake_server.hpp"
#include "fakes/metrics/journal_events.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

constexpr std::size_t kMaxPending = 64 * 1024;

class LineSession : public std::enable_shared_from_this<LineSession> {
 public:
  LineSession(const model::Fake& fake, const model::MetricFakeSpec& metric, runtime::RunContext& ctx, tcp::socket s,
              std::uint64_t* counter)
      : fake_(fake), metric_(metric), ctx_(ctx), socket_(std::move(s)), counter_(counter) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    from_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }
  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }
  void close() {
    boost::system::error_code ec;
    socket_.close(ec);
  }

 private:
  void on_read(boost::system::error_code ec, std::size_t n) {
    pending_.append(chunk_.data(), n);
    auto cut = pending_.rfind('\n');
    if (ec) cut = pending_.empty() ? std::string::npos : pending_.size() - 1;  // flush the rest
    else if (cut == std::string::npos && pending_.size() > kMaxPending) cut = pending_.size() - 1;
    if (cut != std::string::npos) {
      journal_lines(std::string_view(pending_).substr(0, cut + 1));
      pending_.erase(0, cut + 1);
    }
    if (!ec) read();
  }

  void journal_lines(std::string_view lines) {
    ParsedDatagram parsed = metric_.format == model::MetricFormat::graphite ? parse_graphite_line(lines)
                                                                                : parse_statsd_datagram(lines);
    std::vector<journal::Journal::Pending> events;
    datagram_events(fake_.name, {++*counter_, from_}, lines, parsed, events);
    ctx_.journal().append_batch(std::move(events));
  }

  const model::Fake& fake_;
  const model::MetricFakeSpec& metric_;
  runtime::RunContext& ctx_;
  tcp::socket socket_;
  std::uint64_t* counter_;
  std::string from_;
  std::array<char, 16 * 1024> chunk_{};
  std::string pending_;
};

class MetricTcpFake : public FakeServer {
 public:
  MetricTcpFake(runtime::RunContext& ctx, const model::Fake& fake, const model::MetricFakeSpec& metric)
      : ctx_(ctx), fake_(fake), metric_(metric), acceptor_(ctx.io()) {
    port_ = listen_for_fake(acceptor_, fake);
    bool graphite = metric.format == model::MetricFormat::graphite;
    ctx.journal().append({"fake", fake.name, 0}, journal::ev::statsd_receiver,
                         {{"transport", "tcp"}, {"format", graphite ? "graphite" : "statsd"}, {"port", port_}});
    accept();
  }
  ~MetricTcpFake() override {
    *alive_ = false;
    stop();
  }
  int port() const override { return port_; }
  const std::string& host() const override { return fake_.host; }
  std::string url() const override { return fake_.host + ":" + std::to_string(port_); }
  void stop() override {
    boost::system::error_code ec;
    acceptor_.close(ec);
    ctx_.poll();  // journal what already arrived
    for (auto& weak : sessions_)
      if (auto s = weak.lock()) s->close();
    sessions_.clear();
  }

 private:
  void accept() {
    accept_connections(acceptor_, alive_, [this](tcp::socket socket) {
      auto session = std::make_shared<LineSession>(fake_, metric_, ctx_, std::move(socket), &datagrams_);
      std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
      sessions_.push_back(session);
      session->read();
    });
  }

  runtime::RunContext& ctx_;
  const model::Fake& fake_;
  const model::MetricFakeSpec& metric_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::uint64_t datagrams_ = 0;
  std::vector<std::weak_ptr<LineSession>> sessions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

std::unique_ptr<FakeServer> make_metric_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake,
                                                 const model::MetricFakeSpec& metric) {
  return std::make_unique<MetricTcpFake>(ctx, fake, metric);
}

}  // namespace bbx::fakes
