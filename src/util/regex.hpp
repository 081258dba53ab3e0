// Regexes as scenario files write them, matched against text bbx does not control (subject
// output, request bodies, TCP messages).
//
// `Regex` is bbx's one regex engine: PCRE2 (Debian's libpcre2-8) with its JIT, compiled once
// when a scenario is loaded (scenario/patterns.hpp). Matching is bounded: a pathological
// pattern/text pair ends as RegexMatch::too_complex, never as a crash (std::regex, used
// before, recurses per character and dies of SIGSEGV on `(a|b)*c` over 100 KB), a hang or
// unbounded memory.
//
// Why PCRE2 (bench/regex.sh, 2 cores): on bbx's matcher shapes it is 6-22x std::regex and
// 1.3-4x RE2 (log-line search, readiness line, route full match, TCP line with a capture),
// 0.5x RE2 only on 10 KB JSON bodies, where the time budget's callout runs at every '"'.
// RE2 answers pathological cases in linear time where PCRE2 gives up (too_complex), but it
// refuses lookarounds and backreferences, which ECMAScript std::regex accepted: scenario files
// that validate today keep validating with PCRE2, but for rare syntax (\uXXXX, [^]).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace bbx::util {

// An invalid pattern. what(): PCRE2's message and the byte offset in the pattern where it
// was detected, e.g. "missing closing parenthesis at offset 5".
class RegexError : public std::runtime_error {
 public:
  RegexError(const std::string& message, std::size_t offset);
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

enum class RegexMatch {
  no,
  yes,
  // The match hit a limit below (steps per start position, backtracking memory, time per
  // call) before it could decide. Callers that can report it should ("regex too complex for
  // this input"); `Regex::matches` counts it as no match.
  too_complex,
};

// Where a match was found: group i's text for i in 0 (the whole match) .. kMaxGroups-1,
// viewing the searched text (valid while that text is). Filled by each successful match;
// after no/too_complex its contents are unspecified.
class RegexCaptures {
 public:
  static constexpr std::size_t kMaxGroups = 10;  // $0..$9 of TCP fake replies

  // nullopt when group i did not take part in the match, or i >= size(). A group that
  // matched the empty string is an empty view.
  std::optional<std::string_view> operator[](std::size_t i) const;
  // min(group_count() + 1, kMaxGroups) after a match; 0 before the first one.
  std::size_t size() const { return size_; }

 private:
  friend class Regex;
  std::array<std::string_view, kMaxGroups> groups_{};
  std::array<bool, kMaxGroups> set_{};
  std::size_t size_ = 0;
};

// The limits that make a match RegexMatch::too_complex. Normal matching is far below them:
// a capturing group repeated once per character over a 100 KB text, e.g. `(a|b)*c`, takes
// 3 MiB of JIT stack, and the 100 KB and 60,000-character cases of tests/test_util_regex.cpp
// take at most ~250k steps per start position.
struct RegexLimits {
  // PCRE2 match limit: backtracking steps per start position (PCRE2's own default; reached
  // in 20-30 ms by exponential patterns such as `(a+)+$` on 30 characters).
  static constexpr std::uint32_t match_steps = 10'000'000;
  // JIT stack of each matching thread (reserved, touched as needed): a repeated group costs
  // ~32 bytes per iteration, so ~500k iterations fit.
  static constexpr std::size_t jit_stack_bytes = 16u << 20;
  // Heap for backtracking when PCRE2 runs without its JIT (it could not compile the pattern
  // to machine code, or the pattern says (*NO_JIT)): ~280 bytes per iteration.
  static constexpr std::uint32_t interpreter_heap_kib = 64u << 10;
  // Wall time one search may spend trying start positions. The limits above bound each
  // start position; a search tries up to one per byte, so without this one `(a|b)*[cd]` over
  // 100 KB of "ab" takes 12 s (quadratic). Checked before each start position (a callout
  // the compiled pattern carries), so a search ends within one position's steps after it.
  // The callout halves the throughput of searches that try many start positions
  // (regex.log_search_ratio_pcre2_vs_unbudgeted in bench/regex.sh); anchored patterns
  // (`^GET`) and full_match try one start position and go without it.
  static constexpr std::chrono::milliseconds search_time{500};
};

// A compiled PCRE2 pattern.
//
// Syntax: PCRE2 (Perl-compatible), nearly a superset of the ECMAScript that std::regex read:
// \d \w \s (ASCII, as ECMAScript), classes, lazy quantifiers,
// lookahead and lookbehind, backreferences, named groups, inline flags anywhere: "(?i)"
// at the start or "a(?i)b", "(?i:...)", "(?s)", "(?m)", "(?x)".
// Options set for every pattern, and what they mean against ECMAScript and Perl:
//   - UTF-8 with PCRE2_MATCH_INVALID_UTF: the pattern must be valid UTF-8 (else a
//     RegexError); `.`, classes and (?i) work per code point (é, É). The text may hold any
//     bytes: matching never fails on invalid UTF-8, but no pattern item matches an invalid
//     byte, so `a.b` does not match "a\xFFb" (std::regex's byte semantics did) while `a`
//     and `b` alone still match around it. Offsets and captures are in bytes.
//   - PCRE2_DOLLAR_ENDONLY: `$` matches only at the very end of the text, as in ECMAScript
//     (Perl's `$` also matches before a final "\n"; write `\n?$` or `\Z` for that). Under
//     (?m) `$` matches before every "\n", as in both.
//   - `.` matches anything but "\n"; std::regex also excluded "\r". (?s): "\n" too.
//   - A backreference to a group that did not take part fails, as with std::regex (not as
//     in JavaScript, where it matches empty).
//   - ECMAScript that PCRE2 refuses (a RegexError): \uXXXX (write \x{XXXX}), `[^]` (write
//     `[\s\S]`, or `.` under (?s)).
//
// Thread safety: a Regex is immutable; one (or copies of it, which share the compiled code)
// may be used from any number of threads at once. Each thread that matches keeps a PCRE2
// match context, match data and JIT stack of its own (thread_local), freed at thread exit.
class Regex {
 public:
  // Throws RegexError when pattern is invalid, std::bad_alloc when memory runs out.
  static Regex compile(std::string_view pattern);
  // nullopt when pattern is invalid, with *error set to RegexError's message when given.
  static std::optional<Regex> try_compile(std::string_view pattern, std::string* error = nullptr);

  // Whether the pattern matches somewhere in text (the leftmost match, Perl's alternation
  // order: `a|ab` matches "a" of "ab"). With out: its groups.
  RegexMatch search(std::string_view text) const;
  RegexMatch search(std::string_view text, RegexCaptures& out) const;
  // Whether the pattern matches all of text (HTTP routes' path_regex): as search of
  // "^(?:pattern)$", trying every alternative before failing.
  RegexMatch full_match(std::string_view text) const;
  RegexMatch full_match(std::string_view text, RegexCaptures& out) const;
  // search(text) == yes, for callers that cannot report too_complex.
  bool matches(std::string_view text) const { return search(text) == RegexMatch::yes; }

  const std::string& pattern() const;
  // Capturing groups in the pattern (not counting group 0).
  std::size_t group_count() const;

 private:
  struct Code;
  explicit Regex(std::shared_ptr<const Code> code) : code_(std::move(code)) {}
  // nullptr with PCRE2's error code and offset when pattern is invalid.
  static std::shared_ptr<const Code> build(std::string_view pattern, int* error, std::size_t* offset);
  RegexMatch run(bool whole, std::string_view text, RegexCaptures* out) const;

  std::shared_ptr<const Code> code_;
};

}  // namespace bbx::util
