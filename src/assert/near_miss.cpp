#include "assert/near_miss.hpp"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "util/ansi.hpp"
#include "util/byte_preview.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

std::size_t window_distance(std::string_view pattern, std::string_view line) {
  if (line.size() <= pattern.size()) return util::edit_distance(pattern, line);
  std::size_t best = pattern.size();
  for (std::size_t i = 0; i + pattern.size() <= line.size() && best > 0; ++i)
    best = std::min(best, util::edit_distance(pattern, line.substr(i, pattern.size())));
  return best;
}

}  // namespace

std::vector<std::size_t> rank_lines(const model::TextMatch& match, const std::vector<std::string>& lines,
                                    std::size_t n) {
  std::vector<std::size_t> order(lines.size());
  std::iota(order.begin(), order.end(), 0);
  std::reverse(order.begin(), order.end());  // newest first
  if (!match.regex) {
    std::vector<std::size_t> score(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) score[i] = window_distance(match.pattern, lines[i]);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  }
  if (order.size() > n) order.resize(n);
  return order;
}

std::string quote_line(std::string_view line) {
  auto quote = [](std::string_view text) {
    return nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  if (line.size() <= kQuotedMax) return quote(line);
  std::size_t cut = kQuotedMax;
  while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // a UTF-8 boundary
  return quote(line.substr(0, cut)) + " (and " + util::grouped(line.size() - cut) + " more bytes)";
}

std::string quoted_lines(const std::vector<std::string>& lines, std::size_t total, const std::string& noun) {
  std::string out;
  for (const auto& l : lines) out += "\n    | " + l;
  if (total > lines.size())
    out += "\n    | and " + util::grouped(total - lines.size()) + " more " + noun + (total - lines.size() == 1 ? "" : "s");
  return out;
}

std::string quote_output(std::string_view line) { return quote_line(util::strip_ansi(line)); }

}  // namespace bbx::assertions
