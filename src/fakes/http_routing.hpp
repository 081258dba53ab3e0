// The HTTP fake's pure decision: which route answers a request and with what. No I/O, so
// unit tests call it directly (Beast examples' handle_request shape).
#pragma once

#include <string>
#include <string_view>

#include "bbx/model/fakes.hpp"

namespace bbx::fakes {

struct RequestView {
  std::string_view method;   // "GET"
  std::string_view target;   // "/api/x?y=1"
};

struct RouteDecision {
  int route = -1;                       // index into Fake::routes; -1 = unmatched
  const model::HttpResponse* response;  // the route's response, or the fake's unmatched one
};

// First matching route in written order wins. Methods compare case-insensitively; the
// path glob is matched against the target without its query string.
RouteDecision route_request(const model::Fake& fake, const RequestView& request);

// "/a/b?x=1" -> "/a/b".
std::string_view path_of(std::string_view target);
// "/a/b?x=1" -> "x=1" ("" when none).
std::string_view query_of(std::string_view target);

}  // namespace bbx::fakes
