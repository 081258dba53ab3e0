// Ranking near misses for failure messages: which of the lines seen comes closest to what
// was expected.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bbx/model/expectations.hpp"

namespace bbx::assertions {

// Indices of up to `n` lines closest to the matcher, best first. A substring ranks lines
// by the edit distance of their best-aligned window to it (ties: later line first); a
// regex cannot be measured that way, so the last `n` lines are returned, newest first.
std::vector<std::size_t> rank_lines(const model::TextMatch& match, const std::vector<std::string>& lines, std::size_t n);

// Lines longer than this are quoted up to it, with the count of the bytes left out.
inline constexpr std::size_t kQuotedMax = 1000;
// Every matching line a failure text lists, up to this many; the rest are counted.
inline constexpr std::size_t kLinesShown = 10;

// A line quoted for a message: JSON string escaping; past kQuotedMax bytes cut, saying how
// many more there were: "\"abc...\" (and 59,000 more bytes)".
std::string quote_line(std::string_view line);

// Continuation lines of a failure text, "\n    | " + each (already quoted or formatted), then
// "\n    | and N more <noun>s" when `total` is more than were given.
std::string quoted_lines(const std::vector<std::string>& lines, std::size_t total, const std::string& noun);

// A line a process printed (subject output, a command's stdout/stderr) quoted the same way,
// without its terminal escape sequences (util/ansi.hpp): the journal's output events keep
// them; a failure text shows what the terminal would. Data (bodies, files, messages) is
// quoted with quote_line, where escape bytes may be the difference.
std::string quote_output(std::string_view line);

}  // namespace bbx::assertions
