// How the HTTP fake journals a request: body capture with a cap, the match, the misses.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakes/http/routing.hpp"
#include "util/base64.hpp"
#include "util/json_sink.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::fakes {

// Lowercase hex SHA-256. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);

// Writes into a sink (util/json_sink.hpp): body (the whole body, or its first `cap` bytes;
// bytes that are not UTF-8 as \xHH), body_bytes, body_base64 (the exact bytes of `body`)
// when they are not UTF-8, and beyond the cap body_truncated: true and body_sha256 (of the
// whole body).
template <class Sink>
void capture_body(std::string_view body, std::size_t cap, Sink& out) {
  out.unum("body_bytes", body.size());
  auto kept = body.substr(0, cap);
  out.str("body", kept);
  if (!util::valid_utf8(kept)) out.str("body_base64", util::base64(kept));
  if (body.size() <= cap) return;
  out.boolean("body_truncated", true);
  out.str("body_sha256", sha256_hex(body));
}
// The same fields added to a JSON object.
void capture_body(std::string_view body, std::size_t cap, nlohmann::json& out);
// The same fields for bytes that are not a body, named `name`, `name`_bytes, `name`_truncated
// and `name`_sha256 (http.bad_request's unparsed bytes).
void capture_bytes(std::string_view bytes, std::size_t cap, std::string_view name, nlohmann::json& out);

// [{route (1-based, as written), passed (criteria that held), reason}], nearest first. A
// reason quotes the request: bytes of it that are not UTF-8 are \xHH, as in http.request.
nlohmann::json misses_json(const RouteDecision& decision);

}  // namespace bbx::fakes
