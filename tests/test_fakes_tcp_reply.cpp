#include <doctest/doctest.h>

#include "fakes/tcp/reply.hpp"

using namespace bbx;
using fakes::TcpReplier;

namespace {

model::TcpReply reply(std::string contains, std::string match, std::string text,
                      model::TcpFault fault = model::TcpFault::none, model::Duration delay = {}) {
  model::TcpReply r;
  r.contains = std::move(contains);
  if (!match.empty()) r.match = bbx::util::Regex::compile(match);
  r.reply = std::move(text);
  r.fault = fault;
  r.delay = delay;
  return r;
}

model::TcpFakeSpec kv() {
  model::TcpFakeSpec f;
  f.replies = {reply("", "^GET (\\w+)(?: (\\d+))?", "VALUE $1 [$2] $$5 $x\r\n"),
                   reply("PING", "", "PONG\n", model::TcpFault::none, std::chrono::milliseconds(100)),
                   reply("QUIT", "", "BYE\n", model::TcpFault::close),
                   reply("RST", "", "", model::TcpFault::reset),
                   reply("HANG", "", "", model::TcpFault::never),
                   reply("ECHO", "", "you said: $0\n"),
                   reply("", "", "ERR\n")};
  return f;
}

}  // namespace

TEST_CASE("fill_reply substitutes $0..$9 and $$, and leaves other dollars alone") {
  std::vector<std::string> groups = {"GET k 7", "k", "7"};
  CHECK(fakes::fill_reply("$1=$2 ($0)", groups) == "k=7 (GET k 7)");
  CHECK(fakes::fill_reply("$$1 costs $5 $", groups) == "$1 costs  $");
  CHECK(fakes::fill_reply("$a $", groups) == "$a $");
  CHECK(fakes::fill_reply("", groups) == "");
}

TEST_CASE("the first matching reply wins; templates use the regex groups") {
  auto f = kv();
  TcpReplier replier(f);
  auto get = replier.plan("GET apple 12");
  CHECK(get.reply == 0);
  CHECK(get.text == "VALUE apple [12] $5 $x\r\n");
  CHECK(get.bytes == get.text);
  auto unmatched_group = replier.plan("GET pear");
  CHECK(unmatched_group.text == "VALUE pear [] $5 $x\r\n");
  auto echo = replier.plan("ECHO hi");
  CHECK(echo.reply == 5);
  CHECK(echo.text == "you said: ECHO hi\n");
  auto other = replier.plan("what?");
  CHECK(other.reply == 6);
  CHECK(other.text == "ERR\n");
}

TEST_CASE("delay and every fault come with the plan; reset and never send nothing") {
  auto f = kv();
  TcpReplier replier(f);
  auto ping = replier.plan("PING");
  CHECK(ping.reply == 1);
  CHECK(ping.delay == std::chrono::milliseconds(100));
  CHECK(ping.fault == model::TcpFault::none);
  auto quit = replier.plan("QUIT now");
  CHECK(quit.fault == model::TcpFault::close);
  CHECK(quit.bytes == "BYE\n");
  auto rst = replier.plan("RST");
  CHECK(rst.fault == model::TcpFault::reset);
  CHECK(rst.bytes.empty());
  auto hang = replier.plan("HANG");
  CHECK(hang.fault == model::TcpFault::never);
  CHECK(hang.bytes.empty());
  CHECK(std::string(fakes::tcp_fault_name(model::TcpFault::never)) == "never");
  CHECK(std::string(fakes::tcp_fault_name(model::TcpFault::none)).empty());
}

TEST_CASE("no reply matching means no answer; binary messages are matched as bytes") {
  model::TcpFakeSpec f;
  f.replies = {reply(std::string("\x00\x01", 2), "", "bin\n")};
  TcpReplier replier(f);
  CHECK(replier.plan("text").reply == -1);
  CHECK(replier.plan(std::string("\xff\x00\x01", 3)).text == "bin\n");
}

TEST_CASE("length-prefixed fakes frame the reply; one too long for the prefix is an error, not sent") {
  model::TcpFakeSpec f;
  f.framing.kind = model::TcpFramingKind::length_prefix;
  f.framing.prefix_bytes = 1;
  f.replies = {reply("big", "", std::string(256, 'b')), reply("", "", "ok")};
  TcpReplier replier(f);
  CHECK(replier.plan("x").bytes == std::string("\x02ok", 3));
  CHECK(replier.plan("x").text == "ok");
  auto big = replier.plan("big");
  CHECK(big.bytes.empty());
  CHECK(big.error == "reply of 256 bytes does not fit a 1-byte length prefix");
}
