// request: and strict: expectations against recorded journals, with the exact failure text.
#include <doctest/doctest.h>

#include "assert/request_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::RequestCheck;

namespace {

std::uint64_t request(journal::Journal& j, const std::string& method, const std::string& target,
                      nlohmann::json headers = nlohmann::json::array(), const std::string& body = "", bool matched = true) {
  auto q = target.find('?');
  return j.append({"fake", "api", 0}, bbx::journal::ev::http_request,
                  {{"method", method}, {"target", target}, {"path", target.substr(0, q)},
                   {"query", q == std::string::npos ? "" : target.substr(q + 1)}, {"headers", headers},
                   {"body", body}, {"matched", matched}, {"route", matched ? 0 : -1}});
}

model::RequestExpectation spec(const std::string& method, const std::string& path, model::Count c = {1, INT64_MAX, {}, ">= 1"}) {
  model::RequestExpectation r;
  r.fake = "api";
  r.method = method;
  r.path = path;
  r.count = c;
  return r;
}

CheckResult run(const model::RequestExpectation& s, const journal::Journal& j) { return run_check<RequestCheck>(s, j); }

}  // namespace

TEST_CASE("matching requests are counted with their seqs") {
  auto j = temp_journal("req-pass");
  auto a = request(*j, "GET", "/api/x?y=1");
  request(*j, "POST", "/other");
  auto s = spec("get", "/api/*");
  s.query = {{"y", "1"}};
  auto r = run(s, *j);
  CHECK(r.passed);
  CHECK(r.what == "request at fake 'api': get /api/* query y=1");
  CHECK(r.expected == "at least 1 matching");
  CHECK(r.actual == "1 matching");
  CHECK(r.evidence == std::vector<std::uint64_t>{a});
}

TEST_CASE("a near miss names the differing header, closest first") {
  auto j = temp_journal("req-near");
  request(*j, "POST", "/api/y", nlohmann::json::array({{"X-Id", "8"}}));
  auto close = request(*j, "GET", "/api/x?y=1", nlohmann::json::array({{"x-id", "8"}}));
  auto s = spec("GET", "/api/x", {1, 1, {}, "1"});
  s.headers = {{"X-Id", "7"}};
  auto r = run(s, *j);
  CHECK_FALSE(r.passed);
  CHECK(r.what == "request at fake 'api': GET /api/x header X-Id: 7");
  CHECK(r.expected == "exactly 1 matching");
  // Closest first: on the expected path, then fewest differences; each with what it sent.
  CHECK(r.actual == "0 matching; closest of 2 other requests at 'api': GET /api/x?y=1 (seq 2): header X-Id differs: "
                    "expected 7, got 8\n"
                    "    |   headers: x-id: 8\n"
                    "    |   no body\n"
                    "    | next: POST /api/y (seq 1): method differs: expected GET, got POST, path differs: "
                    "expected /api/x, got /api/y, header X-Id differs: expected 7, got 8\n"
                    "    |   headers: X-Id: 8\n"
                    "    |   no body");
  CHECK(r.evidence.front() == close);
}

TEST_CASE("missing query parameters and body mismatches are named") {
  auto j = temp_journal("req-body");
  request(*j, "POST", "/api/x", nlohmann::json::array(), "{\"a\":1}");
  auto s = spec("POST", "/api/x");
  s.query = {{"page", "2"}};
  s.body = model::TextMatch{"\"a\":2", false, {}};
  auto r = run(s, *j);
  CHECK(r.actual == "0 matching; closest of 1 other request at 'api': POST /api/x (seq 1): query page missing, "
                    "body differs: expected it contains \"\\\"a\\\":2\", got \"{\\\"a\\\":1}\"\n"
                    "    |   headers: none\n"
                    "    |   body (7 bytes): \"{\\\"a\\\":1}\"");
}

TEST_CASE("a missing header names the sent one its name looks like a misspelling of; the same path ranks first") {
  auto j = temp_journal("req-misspelled");
  request(*j, "GET", "/other", nlohmann::json::array({{"X-Request-Id", "1"}}));
  request(*j, "GET", "/api/x", nlohmann::json::array({{"Host", "h"}, {"X-Req-Id", "42"}}));
  auto s = spec("GET", "/api/x");
  s.headers = {{"X-Request-Id", "*"}};
  auto r = run(s, *j);
  CHECK(r.actual.rfind("0 matching; closest of 2 other requests at 'api': GET /api/x (seq 2): header X-Request-Id "
                       "missing (it sent X-Req-Id: 42)\n    |   headers: Host: h, X-Req-Id: 42\n", 0) == 0);
}

TEST_CASE("absence: a matching request fails and is cited") {
  auto j = temp_journal("req-absent");
  auto seq = request(*j, "DELETE", "/api/x");
  auto r = run(spec("DELETE", "/api/*", {0, 0, {}, "0"}), *j);
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exactly 0 matching");
  CHECK(r.actual == "1 matching: DELETE /api/x (seq 1)");
  CHECK(r.evidence == std::vector<std::uint64_t>{seq});
}

TEST_CASE("strict: requests without a route or an expectation fail the fake") {
  auto j = temp_journal("req-strict");
  request(*j, "GET", "/api/x");
  request(*j, "GET", "/metrics");
  request(*j, "GET", "/nowhere", nlohmann::json::array(), "", false);
  auto expected = spec("GET", "/api/*");
  auto r = assertions::check_strict({"api"}, {&expected}, *j, here());
  CHECK_FALSE(r.passed);
  CHECK(r.what == "strict fake 'api'");
  CHECK(r.expected == "every request matched a route and a 'request' expectation");
  CHECK(r.actual == "3 requests, 2 unexpected: GET /metrics (seq 2, no expectation), GET /nowhere (seq 3, no route)");
  CHECK(r.evidence == std::vector<std::uint64_t>{2, 3});
  auto any = spec("", "");
  r = assertions::check_strict({"api"}, {&any}, *j, here());
  CHECK(r.actual == "3 requests, 1 unexpected: GET /nowhere (seq 3, no route)");
}

TEST_CASE("evidence cites the first kEvidenceKept requests; counts stay exact") {
  auto j = temp_journal("req-evidence-cap");
  for (std::size_t i = 0; i < kEvidenceKept + 50; ++i) request(*j, "GET", "/api/" + std::to_string(i));
  auto r = run(spec("GET", "/api/*"), *j);
  CHECK(r.passed);
  CHECK(r.actual == std::to_string(kEvidenceKept + 50) + " matching");
  REQUIRE(r.evidence.size() == kEvidenceKept);
  CHECK(r.evidence.front() == 1);
  CHECK(r.evidence.back() == kEvidenceKept);
  auto none = spec("", "");
  none.count = {0, 0, {}, "0"};
  r = assertions::check_strict({"api"}, {&none}, *j, here());
  CHECK(r.evidence.size() == kEvidenceKept);
  CHECK(r.actual.find(std::to_string(kEvidenceKept + 50) + " requests, " + std::to_string(kEvidenceKept + 50) +
                      " unexpected: GET /api/0 (seq 1, no expectation)") == 0);
}
