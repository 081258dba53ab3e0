#include "util/http_url.hpp"

namespace bbx::util {

std::string HttpUrl::authority() const {
  return (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
}

std::string HttpUrl::origin() const { return (tls ? "https://" : "http://") + authority(); }

std::optional<HttpUrl> parse_http_url(std::string_view url, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<HttpUrl> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  bool tls = url.starts_with("https://");
  if (!tls && !url.starts_with("http://"))
    return fail("expected an http:// or https:// URL, got '" + std::string(url) + "'");
  auto rest = url.substr(tls ? 8 : 7);
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  HttpUrl u{std::string(authority), tls ? "443" : "80", slash == std::string_view::npos ? "" : std::string(rest.substr(slash)), tls};
  if (u.base_path.find_first_of("?#") != std::string::npos)
    return fail("no query or fragment allowed in an upstream URL, got '" + std::string(url) + "'");
  while (u.base_path.ends_with('/')) u.base_path.pop_back();
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    auto close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated '[' in '" + std::string(url) + "'");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return fail("expected ':port' after ']' in '" + std::string(url) + "'");
      u.port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return fail("no host in '" + std::string(url) + "'");
  bool digits = !u.port.empty() && u.port.size() <= 5 && u.port.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(u.port) < 1 || std::stoi(u.port) > 65535)
    return fail("bad port '" + u.port + "' in '" + std::string(url) + "'");
  return u;
}

}  // namespace bbx::util
