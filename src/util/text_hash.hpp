// A fast 64-bit hash of text (xxHash's XXH3, Debian's libxxhash-dev, used header-only): the
// comparison hashes every identity text and key of a journal, a million events and more.
// Equal texts give equal hashes in every process and build of one xxHash version; nothing
// stores the hashes (baselines store texts). Not for security. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace bbx::util {

std::uint64_t text_hash(std::string_view text) noexcept;

// The same hash for unordered containers keyed by strings, looked up by any string-like
// key without making a string (transparent).
struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return static_cast<std::size_t>(text_hash(s)); }
};

}  // namespace bbx::util
