// The generic TCP fake on the run's loop (`tcp: {...}` with `greeting:` and `replies:`):
// one session per connection, cutting the stream into messages (tcp_framing.hpp) and
// answering each with the first matching scripted reply (tcp_reply.hpp). Replies on a
// connection are sent in message order; a reply's delay holds back the later ones.
//
// Journal events (source {kind: fake, name}):
//  tcp.server        {host, port, framing, max_message, replies}
//  tcp.connect       {conn, client}
//  tcp.message       {conn, client, index (1-based on the connection), data (the message:
//                     invalid UTF-8 bytes as \xHH), data_base64 (only when not UTF-8),
//                     bytes, truncated + sha256 (beyond max_message: data is the first
//                     1 KiB, at most max_message),
//                     unterminated (the stream ended without a delimiter), reply (index,
//                     -1 none; oversize messages are not answered), reply_data (+
//                     reply_base64), fault ("" | close | reset | never), delay_ms,
//                     reply_error (the reply did not fit the length prefix; nothing sent)}
//  tcp.framing_error {conn, client, error, bytes, data (head), index (oversize: the
//                     tcp.message it explains) or expected (a length-prefixed message cut
//                     short), sha256}
//  tcp.close         {conn, client, by ("client" | "fake" | "stop" | "error"), fault, error,
//                     messages, unsent (replies planned but not sent: the connection ended)}
#include <array>
#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "fakes/fake_server.hpp"
#include "fakes/tcp/framing.hpp"
#include "fakes/tcp_listen.hpp"
#include "fakes/tcp/reply.hpp"
#include "util/utf8_escape.hpp"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace bbx::fakes {

namespace {

constexpr std::size_t kHeadBytes = 1024;  // kept of an oversize message (at most max_message)

struct TcpShared {
  runtime::RunContext& ctx;
  const model::Fake& fake;
  const model::TcpFakeSpec& tcp;
  TcpReplier replier;
  std::uint64_t append(const journal::EventType& type, nlohmann::json body) {
    return ctx.journal().append({"fake", fake.name, 0}, type, std::move(body));
  }
};

// Puts bytes under key, escaped when not UTF-8, with the exact bytes as key_base64 then.
void put_bytes(nlohmann::json& j, const std::string& key, std::string_view bytes) {
  auto text = util::escape_invalid_utf8(bytes);
  if (text != bytes) j[key + "_base64"] = base64(bytes);
  j[key] = std::move(text);
}

class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(std::shared_ptr<TcpShared> shared, tcp::socket socket, std::uint64_t conn)
      : s_(std::move(shared)), socket_(std::move(socket)), timer_(socket_.get_executor()), conn_(conn),
        framer_(s_->tcp.framing, s_->tcp.max_message, std::min<std::size_t>(kHeadBytes, s_->tcp.max_message)) {
    boost::system::error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    client_ = ec ? "?" : ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void start() {
    s_->append(journal::ev::tcp_connect, {{"conn", conn_}, {"client", client_}});
    const auto& greeting = s_->tcp.greeting;
    if (!greeting.empty()) work_.push_back({frame_outgoing(s_->tcp.framing, greeting), model::TcpFault::none, {}});
    read();
    pump();
  }

  void stop() { close("stop", "", model::TcpFault::none); }

 private:
  struct Work {
    std::string bytes;
    model::TcpFault fault;
    model::Duration delay;
  };

  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  // The messages of one read are journaled as one batch, then their replies are sent.
  void on_read(boost::system::error_code ec, std::size_t n) {
    if (closed_) return;
    std::vector<journal::Journal::Pending> events;
    for (auto& frame : framer_.feed(std::string_view(chunk_.data(), n))) on_frame(std::move(frame), events);
    eof_ = ec == asio::error::eof;  // half-closed: answer what arrived, then close
    if (eof_)
      for (auto& rest : framer_.finish()) on_frame(std::move(rest), events);
    if (!events.empty()) s_->ctx.journal().append_batch(std::move(events));
    if (ec && !eof_) return close("client", ec.message(), model::TcpFault::none);
    if (!ec) read();
    pump();
  }

  void on_frame(TcpFrame&& f, std::vector<journal::Journal::Pending>& events) {
    if (f.cut_short) return journal_framing_error(f, events);
    ++messages_;
    TcpReplyPlan plan = f.oversize ? TcpReplyPlan{} : s_->replier.plan(f.data);
    nlohmann::json j = {{"conn", conn_}, {"client", client_}, {"index", messages_}, {"bytes", f.bytes}};
    put_bytes(j, "data", f.data);
    if (f.oversize) {
      j["truncated"] = true;
      j["sha256"] = f.sha256;
    }
    if (f.unterminated) j["unterminated"] = true;
    j["reply"] = plan.reply;
    put_bytes(j, "reply_data", plan.text);
    j["fault"] = tcp_fault_name(plan.fault);
    j["delay_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(plan.delay).count();
    if (!plan.error.empty()) j["reply_error"] = plan.error;
    events.push_back({{"fake", s_->fake.name, 0}, journal::ev::tcp_message, std::move(j)});
    if (f.oversize) journal_framing_error(f, events);
    if (plan.reply >= 0 && plan.error.empty()) work_.push_back({std::move(plan.bytes), plan.fault, plan.delay});
  }

  // An oversize message (then `index` names it) or a length-prefixed one cut short.
  void journal_framing_error(const TcpFrame& f, std::vector<journal::Journal::Pending>& events) {
    nlohmann::json j = {{"conn", conn_}, {"client", client_}, {"error", f.error}, {"bytes", f.bytes}};
    put_bytes(j, "data", f.data);
    if (f.oversize) j["index"] = messages_;
    if (f.cut_short && f.expected) j["expected"] = f.expected;
    if (!f.sha256.empty()) j["sha256"] = f.sha256;
    events.push_back({{"fake", s_->fake.name, 0}, journal::ev::tcp_framing_error, std::move(j)});
  }

  // Sends the queued replies in order, each after its delay. Replies ready at once are
  // written together (up to one that closes), so a fast client is not answered one
  // write round-trip per message.
  void pump() {
    if (busy_ || closed_) return;
    if (work_.empty()) {
      if (eof_) close("client", "", model::TcpFault::none);
      return;
    }
    busy_ = true;
    current_ = std::move(work_.front());
    work_.pop_front();
    auto joinable = [](const Work& w) { return w.delay.count() <= 0 && w.fault != model::TcpFault::reset; };
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
    s_->append(journal::ev::tcp_close, {{"conn", conn_}, {"client", client_}, {"by", by}, {"fault", tcp_fault_name(fault)},
                             {"error", error}, {"messages", messages_},
                             {"unsent", work_.size() + (busy_ && !current_.bytes.empty() ? 1 : 0)}});
  }

  std::shared_ptr<TcpShared> s_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::uint64_t conn_;
  std::string client_;
  TcpFramer framer_;
  std::array<char, 16 * 1024> chunk_{};
  std::deque<Work> work_;
  Work current_{};
  std::uint64_t messages_ = 0;
  bool busy_ = false;
  bool eof_ = false;
  bool closed_ = false;
};

class TcpFake : public FakeServer {
 public:
  TcpFake(runtime::RunContext& ctx, const model::Fake& fake, const model::TcpFakeSpec& tcp)
      : shared_(std::make_shared<TcpShared>(TcpShared{ctx, fake, tcp, TcpReplier(tcp)})), acceptor_(ctx.io()) {
    port_ = listen_for_fake(acceptor_, fake);
    shared_->append(journal::ev::tcp_server, {{"host", fake.host}, {"port", port_}, {"framing", describe(tcp.framing)},
                                   {"max_message", tcp.max_message}, {"replies", tcp.replies.size()}});
    accept();
  }
  ~TcpFake() override {
    *alive_ = false;
    stop();
  }
  int port() const override { return port_; }
  const std::string& host() const override { return shared_->fake.host; }
  std::string url() const override { return shared_->fake.host + ":" + std::to_string(port_); }
  void stop() override {
    boost::system::error_code ec;
    acceptor_.close(ec);
    shared_->ctx.poll();  // journal what already arrived
    for (auto& weak : sessions_)
      if (auto s = weak.lock()) s->stop();
    sessions_.clear();
  }

 private:
  void accept() {
    accept_connections(acceptor_, alive_, [this](tcp::socket socket) {
      auto session = std::make_shared<TcpSession>(shared_, std::move(socket), ++connections_);
      std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
      sessions_.push_back(session);
      session->start();
    });
  }

  std::shared_ptr<TcpShared> shared_;
  tcp::acceptor acceptor_;
  int port_ = 0;
  std::uint64_t connections_ = 0;
  std::vector<std::weak_ptr<TcpSession>> sessions_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace

std::unique_ptr<FakeServer> make_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake, const model::TcpFakeSpec& tcp) {
  return std::make_unique<TcpFake>(ctx, fake, tcp);
}

}  // namespace bbx::fakes
