// Parsing an http:// or https:// URL into scheme, host, port and path: the proxy's upstream
// URL as written in a scenario (checked when loading) and as expanded at run time
// (fakes/http/proxy.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bbx::util {

struct HttpUrl {
  std::string host;       // "127.0.0.1", "::1" (no brackets), "localhost"
  std::string port;       // "9000" ("80", or "443" for https, when not written)
  std::string base_path;  // "" or "/base" (no trailing '/')
  bool tls = false;       // https://
  std::string authority() const;  // "127.0.0.1:9000", "[::1]:9000" (a Host header value)
  std::string origin() const;     // "https://127.0.0.1:9000": scheme and authority
};

// "http[s]://host[:port][/base]". nullopt, with `error` set when given, when it is not
// one: "expected an http:// or https:// URL, got 'ftp://x'", "bad port '99999' in '...'",
// "no host in '...'"; a query or fragment is refused.
std::optional<HttpUrl> parse_http_url(std::string_view url, std::string* error = nullptr);

}  // namespace bbx::util
