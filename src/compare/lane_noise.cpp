#include "compare/lane_noise.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "compare/sequence_diff.hpp"

namespace bbx::compare {

namespace {

constexpr std::string_view kNumber = "<#>";

bool has_digit(std::string_view t) {
  return std::any_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Tokens at single spaces (the texts are normalised lines: a run of spaces is tokens of "").
std::vector<std::string_view> tokens(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    auto p = line.find(' ', start);
    out.push_back(line.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start));
    if (p == std::string_view::npos) return out;
    start = p + 1;
  }
}

std::string join(const std::vector<std::string_view>& t) {
  std::string out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (i) out += ' ';
    out.append(t[i]);
  }
  return out;
}

}  // namespace

std::unordered_set<std::uint64_t> floating_items(const std::vector<std::vector<std::uint64_t>>& runs) {
  std::unordered_set<std::uint64_t> out;
  if (runs.empty()) return out;
  const auto& ref = runs.front();
  for (std::size_t r = 1; r < runs.size(); ++r) {
    if (runs[r] == ref) continue;
    auto script = diff_sequences(ref, runs[r]);
    for (const auto& e : script.edits) {
      if (e.kind == Edit::equal) continue;
      for (std::size_t k = 0; k < e.n; ++k) out.insert(e.kind == Edit::remove ? ref[e.a + k] : runs[r][e.b + k]);
    }
  }
  return out;
}

std::vector<std::string> value_noise_shapes(const std::vector<std::vector<NoisyItem>>& runs) {
  // Per group and token count, per position: the values holding a digit that each run had
  // there (sorted, distinct), and the group's distinct texts.
  struct Group {
    std::vector<std::vector<std::vector<std::string_view>>> values;  // [position][run] -> values
    std::set<std::string_view> texts;
  };
  std::map<std::pair<std::string_view, std::size_t>, Group> groups;
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& item : runs[r]) {
      auto t = tokens(item.text);
      auto& g = groups[{item.group, t.size()}];
      if (g.values.empty()) g.values.assign(t.size(), std::vector<std::vector<std::string_view>>(runs.size()));
      for (std::size_t p = 0; p < t.size(); ++p)
        if (has_digit(t[p])) g.values[p][r].push_back(t[p]);
      g.texts.insert(item.text);
    }
  std::set<std::string> shapes;
  for (auto& [key, g] : groups) {
    std::vector<bool> noise(g.values.size(), false);
    bool any = false;
    for (std::size_t p = 0; p < g.values.size(); ++p) {
      auto& per_run = g.values[p];
      for (auto& v : per_run) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
      }
      for (std::size_t r = 1; r < per_run.size() && !noise[p]; ++r) noise[p] = per_run[r] != per_run[0];
      any = any || noise[p];
    }
    if (!any) continue;
    for (auto text : g.texts) {
      auto t = tokens(text);
      bool masked = false;
      for (std::size_t p = 0; p < t.size(); ++p)
        if (noise[p] && has_digit(t[p])) t[p] = kNumber, masked = true;
      if (masked) shapes.insert(join(t));
    }
  }
  return {shapes.begin(), shapes.end()};
}

bool shape_covers(std::string_view shape, std::string_view line) {
  auto s = tokens(shape), t = tokens(line);
  if (s.size() != t.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == kNumber ? !has_digit(t[i]) : s[i] != t[i]) return false;
  return true;
}

}  // namespace bbx::compare
