#include <doctest/doctest.h>

#include "fakes/http/event_bodies.hpp"
#include "util/text_buffer.hpp"

using namespace bbx::fakes;
using namespace bbx::fakes::http_detail;
namespace http = boost::beast::http;

namespace {

Request sample_request(std::string body) {
  Request r(http::verb::post, "/v1/items?id=7&x=%22", 11);
  r.set(http::field::host, "127.0.0.1:9");
  r.insert("X-Note", "a \"quoted\" value\\");
  r.insert("X-Note", "second");
  r.body() = std::move(body);
  return r;
}

nlohmann::json text_of(const bbx::journal::DeferredBody& b) {
  bbx::util::TextBuffer out;
  b.append_text(out);
  return nlohmann::json::parse(out.view());
}

}  // namespace

TEST_CASE("http.request: the deferred body's text and tree agree, with every field") {
  RequestBody b;
  b.request = sample_request("{\"k\":1}");
  b.conn = 3;
  b.client = "127.0.0.1:5555";
  b.route = 1;
  b.sequence = 2;
  b.body_cap = 1024;
  auto tree = b.tree();
  CHECK(text_of(b) == tree);
  CHECK(tree.at("method") == "POST");
  CHECK(tree.at("target") == "/v1/items?id=7&x=%22");
  CHECK(tree.at("path") == "/v1/items");
  CHECK(tree.at("query") == "id=7&x=%22");
  CHECK(tree.at("version") == "HTTP/1.1");
  CHECK(tree.at("headers") ==
        nlohmann::json::parse(R"([["Host","127.0.0.1:9"],["X-Note","a \"quoted\" value\\"],["X-Note","second"]])"));
  CHECK(tree.at("matched") == true);
  CHECK(tree.at("body") == "{\"k\":1}");
  CHECK(tree.at("body_bytes") == 7);
  CHECK_FALSE(tree.contains("body_truncated"));
  CHECK_FALSE(tree.contains("misses"));
  CHECK_FALSE(tree.contains("proxy"));
}

TEST_CASE("http.request: beyond the cap the head, the length and the SHA-256 of the whole body") {
  RequestBody b;
  b.request = sample_request(std::string(100, 'x'));
  b.body_cap = 10;
  b.route = -1;
  b.misses = nlohmann::json::array({{{"route", 1}, {"passed", 1}, {"reason", "path"}}});
  b.proxy = "http://127.0.0.1:1/";
  auto tree = b.tree();
  CHECK(text_of(b) == tree);
  CHECK(tree.at("body") == std::string(10, 'x'));
  CHECK(tree.at("body_bytes") == 100);
  CHECK(tree.at("body_truncated") == true);
  CHECK(tree.at("body_sha256") == sha256_hex(std::string(100, 'x')));
  CHECK(tree.at("matched") == false);
  CHECK(tree.at("misses").at(0).at("reason") == "path");
  CHECK(tree.at("proxy") == "http://127.0.0.1:1/");
}

TEST_CASE("http.response: the deferred body's text and tree agree") {
  ResponseBody b;
  b.conn = 1;
  b.request_seq = 9;
  b.status = 503;
  b.route = 0;
  b.body_bytes = 12;
  b.latency_us = 1500;
  b.fault = "close_mid_body";
  b.chunks = 3;
  b.error = "Broken pipe";
  auto tree = b.tree();
  CHECK(text_of(b) == tree);
  CHECK(tree == nlohmann::json{{"conn", 1}, {"request_seq", 9}, {"status", 503}, {"route", 0}, {"body_bytes", 12},
                               {"latency_us", 1500}, {"fault", "close_mid_body"}, {"chunks", 3}, {"error", "Broken pipe"}});
}

TEST_CASE("http.response of a fault: what was planned beside what was sent") {
  ResponseBody b;
  b.conn = 2;
  b.request_seq = 21;
  b.status = 0;
  b.route = 3;
  b.fault = "reset";
  b.faulted = true;
  b.planned_status = 503;
  b.planned_body_bytes = 10;
  b.sent_bytes = 0;
  auto tree = b.tree();
  CHECK(text_of(b) == tree);
  CHECK(tree.at("status") == 0);
  CHECK(tree.at("planned_status") == 503);
  CHECK(tree.at("planned_body_bytes") == 10);
  CHECK(tree.at("sent_bytes") == 0);
}
