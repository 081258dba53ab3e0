// The TCP server under both TCP fakes: each read's frames reach the connection's handler
// together, its sends go out in order (greeting first), a half-closed client gets every
// answer and then the close, and a partial message the framer holds at stop() or a
// closing fault is handed to on_close.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/tcp/stream_server.hpp"
#include "run_context_rig.hpp"
#include "tcp_client.hpp"

using namespace bbx;
using fakes::TcpFrame;
using fakes::TcpSend;

namespace {

struct Record {
  std::vector<std::string> frames;  // data, in order; "…|unterminated" for the stream's rest
  std::vector<std::size_t> per_read;
  std::vector<fakes::TcpPeer> peers;
  std::optional<fakes::TcpClosed> closed;
  std::vector<std::string> rest;
};

// Greets, echoes each message, answers "quit" with "bye" and a close.
class Echo : public fakes::TcpConnection {
 public:
  explicit Echo(std::shared_ptr<Record> r) : r_(std::move(r)) {}
  void on_open(std::vector<TcpSend>& send) override { send.push_back({"hello\n"}); }
  void on_frames(std::vector<TcpFrame>&& frames, std::vector<TcpSend>& send) override {
    r_->per_read.push_back(frames.size());
    for (const auto& f : frames) {
      r_->frames.push_back(f.data + (f.unterminated ? "|unterminated" : ""));
      if (f.data == "quit") send.push_back({"bye\n", model::TcpFault::close});
      else send.push_back({"echo " + f.data + "\n"});
    }
  }
  void on_close(const fakes::TcpClosed& closed, std::vector<TcpFrame>&& rest) override {
    r_->closed = closed;
    for (const auto& f : rest) r_->rest.push_back(f.data);
  }

 private:
  std::shared_ptr<Record> r_;
};

struct Served {
  explicit Served(testing::RunContextRig& rig) {
    fake.name = "echo";
    fake.spec = model::TcpFakeSpec{};
    server = std::make_unique<fakes::TcpStreamServer>(rig.ctx, fake, fakes::TcpStreamOptions{});
    server->serve([r = record](const fakes::TcpPeer& peer) {
      r->peers.push_back(peer);
      return std::make_unique<Echo>(r);
    });
  }
  model::Fake fake;
  std::shared_ptr<Record> record = std::make_shared<Record>();
  std::unique_ptr<fakes::TcpStreamServer> server;
};

}  // namespace

TEST_CASE("a half-closed client gets the greeting and every answer in order, then the close") {
  testing::RunContextRig rig("bbx-tcpstream-eof");
  Served s(rig);
  int fd = testing::tcp_connect(s.server->port());
  testing::tcp_send(fd, "a\nb\r\nlast");
  ::shutdown(fd, SHUT_WR);
  rig.run_for(std::chrono::milliseconds(300));
  CHECK(testing::tcp_read_to_end(fd) == "hello\necho a\necho b\necho last\n");
  ::close(fd);
  CHECK(s.record->frames == std::vector<std::string>{"a", "b", "last|unterminated"});
  REQUIRE(s.record->peers.size() == 1);
  CHECK(s.record->peers[0].conn == 1);
  CHECK(s.record->peers[0].client.starts_with("127.0.0.1:"));
  REQUIRE(s.record->closed);
  CHECK(s.record->closed->by == "client");
  CHECK(s.record->closed->unsent == 0);
  CHECK(s.record->rest.empty());
}

TEST_CASE("a close fault sends its bytes, closes, and hands over the partial message held") {
  testing::RunContextRig rig("bbx-tcpstream-fault");
  Served s(rig);
  int fd = testing::tcp_connect(s.server->port());
  testing::tcp_send(fd, "quit\nx\npart");
  rig.run_for(std::chrono::milliseconds(300));
  CHECK(testing::tcp_read_to_end(fd) == "hello\nbye\n");
  ::close(fd);
  REQUIRE(s.record->closed);
  CHECK(s.record->closed->by == "fake");
  CHECK(s.record->closed->fault == model::TcpFault::close);
  CHECK(s.record->closed->unsent == 1);  // the echo of "x"
  CHECK(s.record->rest == std::vector<std::string>{"part"});
}

TEST_CASE("stop() hands over what arrived, then closes every connection with its partial message") {
  testing::RunContextRig rig("bbx-tcpstream-stop");
  Served s(rig);
  int fd = testing::tcp_connect(s.server->port());
  rig.run_for(std::chrono::milliseconds(100));  // accepted
  testing::tcp_send(fd, "one\ntw");
  s.server->stop();  // runs the loop's ready handlers first
  CHECK(s.record->frames == std::vector<std::string>{"one"});
  REQUIRE(s.record->closed);
  CHECK(s.record->closed->by == "stop");
  CHECK(s.record->rest == std::vector<std::string>{"tw"});
  ::close(fd);
  s.server.reset();
  rig.run_for(std::chrono::milliseconds(50));  // aborted handlers run with the server gone
}
