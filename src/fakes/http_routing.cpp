#include "fakes/http_routing.hpp"

#include <strings.h>

#include "util/text.hpp"

namespace bbx::fakes {

std::string_view path_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view query_of(std::string_view target) {
  auto q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

static bool same_method(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

RouteDecision route_request(const model::Fake& fake, const RequestView& request) {
  auto path = path_of(request.target);
  for (std::size_t i = 0; i < fake.routes.size(); ++i) {
    const auto& m = fake.routes[i].match;
    if (!m.method.empty() && !same_method(m.method, request.method)) continue;
    if (!m.path.empty() && !util::glob_match(m.path, path)) continue;
    return {static_cast<int>(i), &fake.routes[i].respond};
  }
  return {-1, &fake.unmatched};
}

}  // namespace bbx::fakes
