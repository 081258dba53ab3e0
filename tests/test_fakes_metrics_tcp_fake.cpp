// Metric fakes over TCP: the complete lines of one read are one statsd.datagram whose raw
// is those bytes as received ('\r' and '\n' included), the unterminated rest is parsed when
// the client closes, and a line longer than 64 KiB is journaled in pieces, no byte lost.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "fakes/fake_server.hpp"
#include "run_context_rig.hpp"
#include "tcp_client.hpp"

using namespace bbx;

namespace {

model::Fake statsd_over_tcp() {
  model::Fake fake;
  fake.name = "st";
  model::MetricFakeSpec metric;
  metric.transport = model::MetricTransport::tcp;
  fake.spec = metric;
  return fake;
}

std::vector<nlohmann::json> bodies_of(journal::Journal& journal, const journal::EventType& type) {
  std::vector<nlohmann::json> out;
  journal.for_each_of({type}, 0, [&](const Event& e) {
    out.push_back(e.body);
    return true;
  });
  return out;
}

// Sends `stream`, closes, and returns the statsd.datagram bodies the fake journaled.
std::vector<nlohmann::json> datagrams_for(testing::RunContextRig& rig, const std::string& stream) {
  auto fake = statsd_over_tcp();
  auto server = fakes::make_fake_server(rig.ctx, fake);
  int fd = testing::tcp_connect(server->port());
  testing::tcp_send(fd, stream);
  ::shutdown(fd, SHUT_WR);
  rig.run_for(std::chrono::milliseconds(300));
  CHECK(testing::tcp_read_to_end(fd).empty());  // closed by the fake, nothing sent
  ::close(fd);
  server->stop();
  return bodies_of(rig.journal, journal::ev::statsd_datagram);
}

}  // namespace

TEST_CASE("one read's complete lines are one datagram; the unterminated rest is parsed at the close") {
  testing::RunContextRig rig("bbx-metrictcp-lines");
  auto datagrams = datagrams_for(rig, "a.b:3|c\nnot a metric\r\nq:1|g");
  REQUIRE(datagrams.size() == 2);
  CHECK(datagrams[0]["raw"] == "a.b:3|c\nnot a metric\r\n");
  CHECK(datagrams[0]["n"] == 1);
  CHECK(datagrams[0]["from"].get<std::string>().starts_with("127.0.0.1:"));
  CHECK(datagrams[0]["samples"].size() == 1);
  CHECK(datagrams[0]["errors"] == 1);
  CHECK(datagrams[1]["raw"] == "q:1|g");
  CHECK(datagrams[1]["n"] == 2);
  CHECK(datagrams[1]["samples"][0]["name"] == "q");
}

TEST_CASE("a line longer than 64 KiB is journaled in pieces; every byte is in some datagram") {
  testing::RunContextRig rig("bbx-metrictcp-long");
  const std::string stream = std::string(200000, 'x') + "\nok:1|c\n";
  auto datagrams = datagrams_for(rig, stream);
  std::string all;
  bool ok = false;
  for (const auto& d : datagrams) {
    all += d["raw"].get<std::string>();
    CHECK(d["raw"].get<std::string>().size() <= (64 + 16) * 1024);  // a piece and at most one read more
    for (const auto& s : d["samples"]) ok = ok || s["name"] == "ok";
  }
  CHECK(all == stream);
  CHECK(ok);
  CHECK(datagrams.size() >= 3);
  CHECK_FALSE(bodies_of(rig.journal, journal::ev::statsd_parse_error).empty());
}
