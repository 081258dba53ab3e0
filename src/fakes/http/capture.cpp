#include "fakes/http/capture.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "util/text.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::fakes {

std::string sha256_hex(std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1)
    throw std::runtime_error("SHA-256 failed (OpenSSL)");
  return util::hex_lower(digest, len);
}

void capture_bytes(std::string_view bytes, std::size_t cap, std::string_view name, nlohmann::json& out) {
  util::JsonTreeSink fields;
  capture_body(bytes, cap, fields);
  auto captured = fields.take();
  for (auto& field : captured.items())  // "body", "body_bytes", ... renamed name, name_bytes, ...
    out[std::string(name) + field.key().substr(std::string_view("body").size())] = std::move(field.value());
}

void capture_body(std::string_view body, std::size_t cap, nlohmann::json& out) { capture_bytes(body, cap, "body", out); }

nlohmann::json misses_json(const RouteDecision& decision) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : decision.nearest)  // a reason quotes the request: its stray bytes as \xHH, like the request's fields
    out.push_back({{"route", m.route + 1}, {"passed", m.passed}, {"reason", util::escape_invalid_utf8(m.reason)}});
  return out;
}

}  // namespace bbx::fakes
