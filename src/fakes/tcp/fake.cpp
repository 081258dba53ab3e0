// The generic TCP fake on the run's loop (`tcp: {...}` with `greeting:` and `replies:`): a
// TcpStreamServer (stream_server.hpp) whose connections journal each message and answer it
// with the first matching scripted reply (reply.hpp). Replies on a connection are sent in
// message order; a reply's delay holds back the later ones.
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
// A partial message still unterminated when the connection closes other than by the
// client's EOF (a read error, a fault, stop) is not journaled.
#include <algorithm>

#include "fakes/tcp/reply.hpp"
#include "fakes/tcp/stream_server.hpp"
#include "util/base64.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::fakes {

namespace {

constexpr std::size_t kHeadBytes = 1024;  // kept of an oversize message (at most max_message)

struct TcpFakeState {  // per fake, shared by its connections
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
  if (text != bytes) j[key + "_base64"] = util::base64(bytes);
  j[key] = std::move(text);
}

class ScriptedConnection : public TcpConnection {
 public:
  ScriptedConnection(std::shared_ptr<TcpFakeState> state, TcpPeer peer) : s_(std::move(state)), peer_(std::move(peer)) {}

  void on_open(std::vector<TcpSend>& send) override {
    s_->append(journal::ev::tcp_connect, {{"conn", peer_.conn}, {"client", peer_.client}});
    if (!s_->tcp.greeting.empty()) send.push_back({frame_outgoing(s_->tcp.framing, s_->tcp.greeting), model::TcpFault::none, {}});
  }

  // The messages of one read are journaled as one batch; their replies are queued.
  void on_frames(std::vector<TcpFrame>&& frames, std::vector<TcpSend>& send) override {
    std::vector<journal::Journal::Pending> events;
    for (auto& frame : frames) on_frame(frame, events, send);
    if (!events.empty()) s_->ctx.journal().append_batch(std::move(events));
  }

  void on_close(const TcpClosed& c, std::vector<TcpFrame>&& /*rest: not journaled*/) override {
    s_->append(journal::ev::tcp_close, {{"conn", peer_.conn}, {"client", peer_.client}, {"by", c.by},
                                        {"fault", tcp_fault_name(c.fault)}, {"error", c.error}, {"messages", messages_},
                                        {"unsent", c.unsent}});
  }

 private:
  void on_frame(const TcpFrame& f, std::vector<journal::Journal::Pending>& events, std::vector<TcpSend>& send) {
    if (f.cut_short) return journal_framing_error(f, events);
    ++messages_;
    TcpReplyPlan plan = f.oversize ? TcpReplyPlan{} : s_->replier.plan(f.data);
    nlohmann::json j = {{"conn", peer_.conn}, {"client", peer_.client}, {"index", messages_}, {"bytes", f.bytes}};
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
    if (plan.reply >= 0 && plan.error.empty()) send.push_back({std::move(plan.bytes), plan.fault, plan.delay});
  }

  // An oversize message (then `index` names it) or a length-prefixed one cut short.
  void journal_framing_error(const TcpFrame& f, std::vector<journal::Journal::Pending>& events) {
    nlohmann::json j = {{"conn", peer_.conn}, {"client", peer_.client}, {"error", f.error}, {"bytes", f.bytes}};
    put_bytes(j, "data", f.data);
    if (f.oversize) j["index"] = messages_;
    if (f.cut_short && f.expected) j["expected"] = f.expected;
    if (!f.sha256.empty()) j["sha256"] = f.sha256;
    events.push_back({{"fake", s_->fake.name, 0}, journal::ev::tcp_framing_error, std::move(j)});
  }

  std::shared_ptr<TcpFakeState> s_;
  TcpPeer peer_;
  std::uint64_t messages_ = 0;
};

}  // namespace

std::unique_ptr<FakeServer> make_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake, const model::TcpFakeSpec& tcp) {
  TcpStreamOptions options{tcp.framing, tcp.max_message, std::min(kHeadBytes, tcp.max_message), TcpFramer::Oversize::digest};
  auto server = std::make_unique<TcpStreamServer>(ctx, fake, options);
  auto state = std::make_shared<TcpFakeState>(TcpFakeState{ctx, fake, tcp, TcpReplier(tcp)});
  state->append(journal::ev::tcp_server, {{"host", fake.host}, {"port", server->port()}, {"framing", describe(tcp.framing)},
                                          {"max_message", tcp.max_message}, {"replies", tcp.replies.size()}});
  server->serve([state](const TcpPeer& peer) { return std::make_unique<ScriptedConnection>(state, peer); });
  return server;
}

}  // namespace bbx::fakes
