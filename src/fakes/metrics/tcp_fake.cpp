// Metric fakes over TCP on the run's loop: statsd lines (`statsd: {protocol: tcp}`) and
// graphite plaintext (`graphite: {...}`), served by a TcpStreamServer
// (fakes/tcp/stream_server.hpp) that cuts each connection's stream at '\n'. The complete
// lines of one read are parsed and journaled as one statsd.datagram (transport "tcp";
// raw: those lines as received, '\n's included) with its samples (journal_events.hpp); a
// partial last line waits for the rest, and one still unterminated when the connection
// ends is parsed as it is. A line longer than 64 KiB is journaled in 64 KiB pieces as they
// arrive (pieces that do not parse are parse errors), so no line is buffered whole.
#include "fakes/fake_server.hpp"
#include "fakes/metrics/journal_events.hpp"
#include "fakes/tcp/stream_server.hpp"

namespace bbx::fakes {

namespace {

constexpr std::size_t kMaxLine = 64 * 1024;

struct MetricTcpState {  // per fake, shared by its connections
  runtime::RunContext& ctx;
  const model::Fake& fake;
  const model::MetricFakeSpec& metric;
  std::uint64_t datagrams = 0;  // statsd.datagram n, per fake
};

class MetricLines : public TcpConnection {
 public:
  MetricLines(std::shared_ptr<MetricTcpState> state, std::string from) : s_(std::move(state)), from_(std::move(from)) {}

  void on_frames(std::vector<TcpFrame>&& frames, std::vector<TcpSend>& /*send: none*/) override { journal(frames); }
  void on_close(const TcpClosed& /*closed*/, std::vector<TcpFrame>&& rest) override { journal(rest); }

 private:
  // The frames as the bytes they came from: one statsd.datagram and its events.
  void journal(const std::vector<TcpFrame>& frames) {
    if (frames.empty()) return;
    std::string raw;
    for (const auto& f : frames) {
      raw += f.data;
      if (!f.split && !f.unterminated) raw += '\n';
    }
    ParsedDatagram parsed = s_->metric.format == model::MetricFormat::graphite ? parse_graphite_line(raw)
                                                                               : parse_statsd_datagram(raw);
    std::vector<journal::Journal::Pending> events;
    datagram_events(s_->fake.name, {++s_->datagrams, from_}, raw, std::move(parsed), events);
    s_->ctx.journal().append_batch(std::move(events));
  }

  std::shared_ptr<MetricTcpState> s_;
  std::string from_;
};

}  // namespace

std::unique_ptr<FakeServer> make_metric_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake,
                                                 const model::MetricFakeSpec& metric) {
  TcpStreamOptions options{.framing = {model::TcpFramingKind::delimiter, "\n"},  // keeps any '\r' for the parser
                           .max_message = kMaxLine,
                           .oversize = TcpFramer::Oversize::split};
  auto server = std::make_unique<TcpStreamServer>(ctx, fake, options);
  bool graphite = metric.format == model::MetricFormat::graphite;
  ctx.journal().append({"fake", fake.name, 0}, journal::ev::statsd_receiver,
                       {{"transport", "tcp"}, {"format", graphite ? "graphite" : "statsd"}, {"port", server->port()}});
  auto state = std::make_shared<MetricTcpState>(MetricTcpState{ctx, fake, metric});
  server->serve([state](const TcpPeer& peer) { return std::make_unique<MetricLines>(state, peer.client); });
  return server;
}

}  // namespace bbx::fakes
