// How the HTTP fake journals a request: body capture with a cap, the match, the misses.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fakes/http_routing.hpp"

namespace bbx::fakes {

// Adds to `out`: body (the whole body, or its first `cap` bytes), body_bytes, and beyond
// the cap body_truncated: true and body_sha256 (hex of the whole body, OpenSSL EVP).
void capture_body(std::string_view body, std::size_t cap, nlohmann::json& out);

// Lowercase hex SHA-256. Throws std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);

// [{route (1-based, as written), passed (criteria that held), reason}], nearest first.
nlohmann::json misses_json(const RouteDecision& decision);

}  // namespace bbx::fakes
