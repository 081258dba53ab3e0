#include <doctest/doctest.h>

#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "fakes/http/request_pull.hpp"

namespace beast = boost::beast;
namespace http = boost::beast::http;
using bbx::fakes::http_detail::parse_buffered;

namespace {

using Parser = http::request_parser<http::string_body>;
struct EagerParser : Parser {  // as the fake's: the body parsed as it comes
  EagerParser() { eager(true); }
};

void append(beast::flat_buffer& buffer, const std::string& text) {
  auto space = buffer.prepare(text.size());
  boost::asio::buffer_copy(space, boost::asio::buffer(text));
  buffer.commit(text.size());
}

std::string rest(const beast::flat_buffer& buffer) {
  return {static_cast<const char*>(buffer.data().data()), buffer.size()};
}


}  // namespace

TEST_CASE("pipelined requests come out one at a time, the next one's bytes left in the buffer") {
  beast::flat_buffer buffer;
  append(buffer, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /c");
  beast::error_code ec;
  EagerParser p1;
  REQUIRE(parse_buffered(buffer, p1, ec));
  CHECK(!ec);
  CHECK(p1.get().target() == "/a");
  EagerParser p2;
  REQUIRE(parse_buffered(buffer, p2, ec));
  CHECK(!ec);
  CHECK(p2.get().target() == "/b");
  CHECK(p2.get().body() == "hello");
  CHECK(rest(buffer) == "GET /c");
  EagerParser p3;
  CHECK_FALSE(parse_buffered(buffer, p3, ec));  // an incomplete header: more bytes needed
  CHECK(!ec);
  append(buffer, " HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(parse_buffered(buffer, p3, ec));
  CHECK(p3.get().target() == "/c");
  CHECK(buffer.size() == 0);
}

TEST_CASE("a body split across reads completes when its last byte arrives") {
  beast::flat_buffer buffer;
  append(buffer, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhel");
  beast::error_code ec;
  EagerParser p;
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  append(buffer, "lo");
  REQUIRE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  CHECK(p.get().body() == "hello");
}

TEST_CASE("an empty buffer needs more; malformed or oversized input is an error, not a wait") {
  beast::flat_buffer buffer;
  beast::error_code ec;
  EagerParser p;
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK(!ec);
  append(buffer, "NOT HTTP AT ALL\r\n\r\n");
  CHECK(parse_buffered(buffer, p, ec));
  CHECK(ec);
  beast::flat_buffer big;
  append(big, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
  EagerParser limited;
  limited.body_limit(10);
  CHECK(parse_buffered(big, limited, ec));
  CHECK(ec == http::error::body_limit);
}

TEST_CASE("a refused request is answered 400, 413 or 431 and closed; one cut by the client gets no answer") {
  using bbx::fakes::http_detail::reject_request;
  auto bad = reject_request(http::error::bad_method, true, "", "", "G\x01T / HTTP/1.1\r\n\r\n", 64, 3, "127.0.0.1:5");
  CHECK(bad.status == 400);
  CHECK(bad.response.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  CHECK(bad.response.find("Connection: close\r\n") != std::string::npos);
  CHECK(bad.event["conn"] == 3);
  CHECK(bad.event["client"] == "127.0.0.1:5");
  CHECK(bad.event["status"] == 400);
  CHECK(bad.event["unparsed"] == "G\x01T / HTTP/1.1\r\n\r\n");
  CHECK(bad.event["unparsed_bytes"] == 18);
  CHECK(!bad.event.contains("unparsed_truncated"));
  CHECK(!bad.event.contains("method"));
  CHECK(reject_request(http::error::header_limit, true, "GET", "/", "", 64, 1, "c").status == 431);
  CHECK(reject_request(http::error::body_limit, true, "", "", "", 64, 1, "c").response.rfind("HTTP/1.1 413 ", 0) == 0);

  auto cut = reject_request(boost::asio::error::eof, false, "GET", "/half", "Host: x\r\nAccept", 8, 1, "c");
  CHECK(cut.status == 0);
  CHECK(cut.response.empty());
  CHECK(cut.event["method"] == "GET");
  CHECK(cut.event["target"] == "/half");
  CHECK(cut.event["unparsed"] == "Host: x\r");
  CHECK(cut.event["unparsed_bytes"] == 15);
  CHECK(cut.event["unparsed_truncated"] == true);
  CHECK(cut.event["unparsed_sha256"].get<std::string>().size() == 64);
}

TEST_CASE("Expect: 100-continue is answered once, when the header is in and the body still to come") {
  using bbx::fakes::http_detail::wants_continue;
  beast::flat_buffer buffer;
  beast::error_code ec;
  EagerParser p;
  bool answered = false;
  append(buffer, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n");
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK_FALSE(wants_continue(p, answered));  // the header is not complete yet
  append(buffer, "\r\n");
  CHECK_FALSE(parse_buffered(buffer, p, ec));
  CHECK(wants_continue(p, answered));
  CHECK_FALSE(wants_continue(p, answered));  // once
  append(buffer, "hello");
  CHECK(parse_buffered(buffer, p, ec));

  auto no_continue = [&](const std::string& request) {
    beast::flat_buffer b;
    append(b, request);
    EagerParser q;
    parse_buffered(b, q, ec);
    bool done = false;
    return !wants_continue(q, done);
  };
  CHECK(no_continue("POST /up HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));  // HTTP/1.0 ignores it
  CHECK(no_continue("POST /up HTTP/1.1\r\nContent-Length: 5\r\n\r\n"));
  CHECK(no_continue("POST /up HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello"));  // body already here
}
