#include "fakes/http/routing.hpp"

#include <strings.h>

#include <nlohmann/json.hpp>

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

static bool same_text_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    auto amp = query.find('&');
    auto part = query.substr(0, amp);
    auto eq = part.find('=');
    if (part.substr(0, eq) == name) return eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::optional<std::string_view> header_value(const RequestView& request, std::string_view name) {
  for (const auto& [k, v] : request.headers)
    if (same_text_nocase(k, name)) return v;
  return std::nullopt;
}

// JSON subset: every key of `want` is in `have` with a subset value; arrays element-wise
// by position (want may be shorter); scalars equal.
static bool json_subset(const nlohmann::json& want, const nlohmann::json& have) {
  if (want.is_object()) {
    if (!have.is_object()) return false;
    for (auto it = want.begin(); it != want.end(); ++it)
      if (!have.contains(it.key()) || !json_subset(it.value(), have.at(it.key()))) return false;
    return true;
  }
  if (want.is_array()) {
    if (!have.is_array() || have.size() < want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i)
      if (!json_subset(want[i], have[i])) return false;
    return true;
  }
  return want == have;
}

struct Router::Compiled {
  const model::HttpRoute* route;
  std::optional<nlohmann::json> body_json;

  // Evaluates every criterion: counts those that hold and explains those that do not
  // ("; "-joined, in written order). True when all hold.
  bool check(const RequestView& r, int& passed, std::string& reason) const {
    const auto& m = route->match;
    auto path = path_of(r.target);
    bool ok = true;
    auto criterion = [&](bool holds, auto&& why) {
      if (holds) {
        ++passed;
        return;
      }
      ok = false;
      if (!reason.empty()) reason += "; ";
      reason += why();
    };
    if (!m.method.empty())
      criterion(same_text_nocase(m.method, r.method), [&] { return "method " + std::string(r.method) + " is not " + m.method; });
    if (!m.path.empty())
      criterion(util::glob_match(m.path, path), [&] { return "path " + std::string(path) + " does not match " + m.path; });
    if (m.path_regex) {
      auto verdict = m.path_regex->full_match(path);
      criterion(verdict == util::RegexMatch::yes, [&] {
        return "path " + std::string(path) + (verdict == util::RegexMatch::too_complex ? " is too complex to decide for regex "
                                                                                      : " does not match regex ") +
               m.path_regex->pattern();
      });
    }
    for (const auto& param : m.query) {  // not a structured binding: clang 14 (fuzz/) cannot capture one
      const auto& [k, glob] = param;
      auto v = query_param(query_of(r.target), k);
      criterion(v && util::glob_match(glob, *v), [&] {
        const auto& [name, want] = param;
        return v ? "query " + name + "=" + std::string(*v) + " does not match " + want : "query parameter " + name + " missing";
      });
    }
    for (const auto& header : m.headers) {
      const auto& [k, glob] = header;
      auto v = header_value(r, k);
      criterion(v && util::glob_match(glob, *v), [&] {
        const auto& [name, want] = header;
        return v ? "header " + name + ": " + std::string(*v) + " does not match " + want : "header " + name + " missing";
      });
    }
    if (m.body)
      criterion(r.body == *m.body, [&] { return "body differs from the expected " + std::to_string(m.body->size()) + " bytes"; });
    if (!m.body_contains.empty())
      criterion(r.body.find(m.body_contains) != std::string_view::npos,
                [&] { return "body does not contain " + m.body_contains; });
    if (m.body_regex) {
      auto verdict = m.body_regex->search(r.body);
      criterion(verdict == util::RegexMatch::yes, [&] {
        return (verdict == util::RegexMatch::too_complex ? "body is too complex to decide for regex "
                                                         : "body does not match regex ") +
               m.body_regex->pattern();
      });
    }
    if (body_json) {
      auto have = nlohmann::json::parse(r.body, nullptr, false);
      criterion(!have.is_discarded() && json_subset(*body_json, have), [&] {
        return have.is_discarded() ? std::string("body is not JSON") : "body JSON does not contain " + body_json->dump();
      });
    }
    return ok;
  }
};

Router::Router(const model::HttpFakeSpec& http, const std::string& fake_name) : http_(&http) {
  for (std::size_t i = 0; i < http.routes.size(); ++i) {
    const auto& m = http.routes[i].match;
    auto c = std::make_unique<Compiled>();
    c->route = &http.routes[i];
    std::string where = (fake_name.empty() ? "" : "fake '" + fake_name + "' ") + "route " + std::to_string(i + 1);
    if (m.body_json) {  // checked by the loader
      c->body_json = nlohmann::json::parse(*m.body_json, nullptr, false);
      if (c->body_json->is_discarded()) throw std::logic_error(where + ": body_json is not JSON");
    }
    routes_.push_back(std::move(c));
  }
}

Router::~Router() = default;
Router::Router(Router&&) noexcept = default;

RouteDecision Router::route(const RequestView& request) const {
  RouteDecision d;
  std::vector<RouteMiss> misses;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    RouteMiss miss{static_cast<int>(i), 0, {}};
    if (routes_[i]->check(request, miss.passed, miss.reason)) {
      d.route = static_cast<int>(i);
      d.response = &http_->routes[i].respond;
      return d;
    }
    misses.push_back(std::move(miss));
  }
  std::stable_sort(misses.begin(), misses.end(), [](const auto& a, const auto& b) { return a.passed > b.passed; });
  if (misses.size() > 3) misses.resize(3);
  d.nearest = std::move(misses);
  d.response = &http_->unmatched;
  return d;
}

RouteDecision route_request(const model::HttpFakeSpec& http, const RequestView& request) {
  return Router(http).route(request);
}

}  // namespace bbx::fakes
