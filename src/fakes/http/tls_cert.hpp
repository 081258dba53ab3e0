// A self-signed certificate made per run for TLS fakes (OpenSSL): EC P-256 key, valid
// from an hour ago for 30 days, subjectAltName IP:<host> + DNS:localhost, and
// basicConstraints CA:TRUE so clients can trust it directly as their CA file
// (`curl --cacert ${fakes.NAME.ca_file}`).
#pragma once

#include <string>

namespace bbx::fakes {

struct PemPair {
  std::string cert;  // PEM
  std::string key;   // PEM (PKCS#8, unencrypted)
};

// Throws std::runtime_error ("cannot make a TLS certificate: <OpenSSL error>").
PemPair make_self_signed(const std::string& host);

}  // namespace bbx::fakes
