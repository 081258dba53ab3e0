#include "fakes/http_capture.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "util/text.hpp"

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

void capture_body(std::string_view body, std::size_t cap, nlohmann::json& out) {
  util::JsonTreeSink fields;
  capture_body(body, cap, fields);
  out.update(fields.take());
}

nlohmann::json misses_json(const RouteDecision& decision) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : decision.nearest) out.push_back({{"route", m.route + 1}, {"passed", m.passed}, {"reason", m.reason}});
  return out;
}

}  // namespace bbx::fakes
