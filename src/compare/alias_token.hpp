// The bracketed tokens normalisation writes in place of volatile values: roles
// ("[PORT:upstream]", "[PID:app#2]", "[SANDBOX]") and aliases ("[UUID_1]", "[DURATION]").
// Every normalisation layer passes over such a token untouched, which is what makes each
// layer idempotent: normalising normalised text changes nothing. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace bbx::compare {

// The length of the token starting at text[i] ('[' then [A-Z][A-Z_]*, optionally ':' and
// up to 80 characters other than ']' and newline, or '_' and digits, then ']'), or 0 when
// none starts there.
inline std::size_t alias_token_at(std::string_view text, std::size_t i) {
  if (i >= text.size() || text[i] != '[') return 0;
  std::size_t j = i + 1;
  if (j >= text.size() || text[j] < 'A' || text[j] > 'Z') return 0;
  while (j < text.size() && ((text[j] >= 'A' && text[j] <= 'Z') || text[j] == '_')) ++j;
  if (j < text.size() && text[j] == ':') {
    std::size_t limit = std::min(text.size(), j + 82);
    for (++j; j < limit && text[j] != ']' && text[j] != '\n'; ++j) {
    }
  } else if (j < text.size() && text[j] >= '0' && text[j] <= '9' && text[j - 1] == '_') {
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
  }
  if (j < text.size() && text[j] == ']') return j + 1 - i;
  return 0;
}

}  // namespace bbx::compare
