// Small string helpers with no bbx types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace bbx::util {

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
// ASCII case-insensitive equality (HTTP header names, methods).
bool iequals(std::string_view a, std::string_view b);
// Levenshtein distance (bytes).
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate closest to word when it is close enough to be a plausible typo
// (distance <= max(1, len/3)); empty when none is, and for a word longer than
// kMaxSuggestedLength (no typo suggestion for it: time and memory stay small whatever the input).
inline constexpr std::size_t kMaxSuggestedLength = 256;
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);
// Shell-style glob: '*' any run, '?' one char, "[abc]" classes are not supported.
bool glob_match(std::string_view pattern, std::string_view text);
// Lowercase hex of bytes (digests).
std::string hex_lower(const unsigned char* bytes, std::size_t n);
// Joins with a separator.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace bbx::util
