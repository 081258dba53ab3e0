// SHA-256 of a stream of byte strings (OpenSSL's EVP), as lowercase hex. For digests a file
// stores and a later process recomputes (a baseline's items past its cap): unlike
// std::hash, the same bytes give the same digest in every build and on every machine.
// One object per digest, used by one thread; throws std::runtime_error only if OpenSSL fails.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace bbx::util {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::string_view bytes);
  // The digest of everything updated so far (64 hex digits); the object is spent after it.
  std::string hex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace bbx::util
