#include "util/text_hash.hpp"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace bbx::util {

std::uint64_t text_hash(std::string_view text) noexcept { return XXH3_64bits(text.data(), text.size()); }

}  // namespace bbx::util
