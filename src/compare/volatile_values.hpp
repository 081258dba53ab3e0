// Normalisation, layer 2: values that vary from run to run although bbx did not allocate
// them, found in free text (output and log lines, bodies, headers) by shape:
//
//   UUIDs (8-4-4-4-12 hex)                                  [UUID_1], [UUID_2], ...
//   hex ids: 0x-prefixed, or 8+ hex digits with a digit and a letter   [HEX_1], ...
//   ephemeral ports after an address (127.0.0.1:41234, [::1]:41234,
//     localhost:41234; ports 32768 and up)                  127.0.0.1:[PORT_1]
//   timestamps: ISO 8601 / RFC 3339 dates and times, times of day, HTTP dates
//     (Sat, 06 Dec 2026 01:53:39 GMT), syslog stamps (Dec  6 01:53:39),
//     Unix epochs in s/ms/us/ns (years 2001-2036)           [TIMESTAMP]
//   durations: 12ms, 1.5s, 250 us, 3 seconds, 1h2m3.5s      [DURATION]
//
// Identities (UUIDs, hex ids, ephemeral ports) get numbered aliases: the same value gets
// the same alias within one Aliases scope, so "[UUID_1] ... [UUID_1]" still says the same
// id came back. Measurements (timestamps, durations) get one unnumbered token each: that two
// of them happen to be equal in one run is chance, not structure, and numbering them would
// make equal runs differ.
//
// Idempotent: a normalised text is returned unchanged (bracketed tokens are passed over).
// Pure but for the Aliases it is given; an Aliases is used by one thread at a time.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "util/text_hash.hpp"

namespace bbx::compare {

// The numbering scope of aliases: one per lane of a run (or per item for unordered lanes).
class Aliases {
 public:
  // Appends "[UUID_3]" for value in class kind ("UUID", "HEX", "PORT") to out: the number it
  // already has in this scope, else the next one. kind must outlive the scope (the classes
  // are string literals).
  void alias(std::string_view kind, std::string_view value, std::string& out);
  void clear() {
    numbers_.clear();
    next_.clear();
  }
  // How many aliases this scope has given (clear() does not reset it): a text masked
  // without giving any is masked the same in every scope.
  std::size_t given() const { return given_; }

 private:
  std::size_t given_ = 0;
  // kind + '\0' + value -> number: open addressing, looked up without making a string.
  boost::unordered_flat_map<std::string, int, util::TextHash, std::equal_to<>> numbers_;
  std::vector<std::pair<std::string_view, int>> next_;  // kind -> last number given (kinds are literals)
  std::string key_;  // the lookup's key, reused
};

// Whether text can hold a volatile value at all (false: mask_volatile copies it as it is):
// every shape above has a digit, but for a UUID of letters only, which has its dashes.
bool may_hold_volatile(std::string_view text);

// Appends text to out with every volatile value replaced (above).
void mask_volatile(std::string_view text, Aliases& aliases, std::string& out);
inline std::string mask_volatile(std::string_view text, Aliases& aliases) {
  std::string out;
  mask_volatile(text, aliases, out);
  return out;
}

}  // namespace bbx::compare
