// The HTTP fake's pure decision: which route answers a request, and for a request no
// route takes, how near each route came and why it missed. No I/O, so unit tests call it
// directly (Beast examples' handle_request shape).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/container/small_vector.hpp>

#include "bbx/model/fakes.hpp"

namespace bbx::fakes {

struct RequestView {
  std::string_view method;  // "GET"
  std::string_view target;  // "/api/x?y=1"
  // As received; inline up to 16 (no allocation per request on the fake's hot path).
  boost::container::small_vector<std::pair<std::string_view, std::string_view>, 16> headers = {};
  std::string_view body = {};
};

struct RouteMiss {
  int route = -1;
  int passed = 0;      // criteria of the route that held
  std::string reason;  // those that did not, "; "-joined: "method GET is not POST; header X-Id missing"
};

struct RouteDecision {
  int route = -1;                                // index into HttpFakeSpec::routes; -1 = unmatched
  const model::HttpResponse* response = nullptr;  // the route's first response, or the fake's unmatched one
  std::vector<RouteMiss> nearest;                // unmatched only: up to 3 routes, nearest first
};

// Compiles a fake's routes (JSON bodies; regexes come compiled from the loader) once; route() is then const and reentrant. Keeps
// a reference to `http`. Throws std::runtime_error ("fake 'api' route 2: bad regex: ...",
// naming the fake when fake_name is given) on an invalid regex or body_json.
class Router {
 public:
  explicit Router(const model::HttpFakeSpec& http, const std::string& fake_name = {});
  ~Router();
  Router(Router&&) noexcept;
  // First matching route in written order wins.
  RouteDecision route(const RequestView& request) const;

 private:
  struct Compiled;
  const model::HttpFakeSpec* http_;
  std::vector<std::unique_ptr<Compiled>> routes_;
};

// One-shot convenience (compiles every call): for tests and cold paths.
RouteDecision route_request(const model::HttpFakeSpec& http, const RequestView& request);

// "/a/b?x=1" -> "/a/b".
std::string_view path_of(std::string_view target);
// "/a/b?x=1" -> "x=1" ("" when none).
std::string_view query_of(std::string_view target);
// The raw value of parameter `name` in a query string ("a=1&b=2"); nullopt when absent
// ("a" alone gives ""). No percent-decoding.
std::optional<std::string_view> query_param(std::string_view query, std::string_view name);
// The first header named `name` (case-insensitive); nullopt when absent.
std::optional<std::string_view> header_value(const RequestView& request, std::string_view name);

}  // namespace bbx::fakes
