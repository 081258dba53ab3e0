#include "compare/line_counts.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include <boost/unordered/unordered_flat_map.hpp>

namespace bbx::compare {

namespace {

// A distinct line: its text (kept in its profile) and hash.
struct Line {
  std::string_view text;
  std::uint64_t hash;
};

// Sorts lines by their text: many of them (the 300k distinct lines of two 1M-event journals)
// in two halves on two threads, then merged; the order is the same either way.
void sort_texts(std::vector<Line>& texts) {
  auto less = [](const Line& a, const Line& b) { return a.text < b.text; };
  if (texts.size() < kLinesSortedOnTwoThreads) {
    std::sort(texts.begin(), texts.end(), less);
    return;
  }
  auto mid = texts.begin() + std::ptrdiff_t(texts.size() / 2);
  std::thread first([&] { std::sort(texts.begin(), mid, less); });  // std::sort of pointers does not throw
  std::sort(mid, texts.end(), less);
  first.join();
  std::inplace_merge(texts.begin(), mid, texts.end(), less);
}

}  // namespace

LineClusters learn_lines(const std::vector<const RunProfile*>& profiles, TemplateMiner& miner) {
  // The distinct texts of all profiles, sorted: the templates depend neither on hash order
  // nor on which run came first.
  std::vector<Line> lines;
  LineClusters clusters;  // first the lines seen (300k+ of them: no node each), then their clusters
  for (const auto* profile : profiles)
    for (const auto& lane : profile->lanes) {
      if (!lane.lines) continue;
      for (const auto& it : lane.items)
        if (clusters.try_emplace(it.hash, 0).second) lines.push_back({profile->text(it.hash), it.hash});
    }
  sort_texts(lines);
  for (const auto& l : lines) clusters[l.hash] = miner.add(l.text);
  return clusters;
}

void count_lines(RunProfile& profile, const TemplateMiner& miner, const LineClusters& clusters) {
  struct Kind {  // what one distinct text is
    std::uint64_t tmpl = 0;
    std::size_t level = 0;  // in levels, 0: none
  };
  boost::unordered_flat_map<std::uint64_t, Kind> of;     // text hash -> its kind
  std::vector<std::string> levels{""};
  // Each template's hash, made once per template (0: not yet), not once per distinct line.
  std::vector<std::uint64_t> template_hash(miner.size(), 0);
  for (auto& lane : profile.lanes) {
    if (!lane.lines) continue;
    // Counted by template hash and level here, keyed by text once per lane below.
    std::unordered_map<std::uint64_t, Count> per_template;
    std::vector<Count> per_level(levels.size());
    std::vector<std::uint64_t> order;  // templates in order of first appearance
    for (auto& it : lane.items) {
      auto found = of.find(it.hash);
      if (found == of.end()) {
        const std::string& text = profile.text(it.hash);
        auto joined = clusters.find(it.hash);
        auto id = joined != clusters.end() ? std::optional<std::size_t>(joined->second) : miner.match(text);
        Kind k;
        if (id && template_hash[*id]) {
          k.tmpl = template_hash[*id];
        } else {
          std::string tmpl = id ? miner.template_of(*id) : text;
          k.tmpl = text_hash(tmpl);
          if (id) template_hash[*id] = k.tmpl;
          profile.heads.try_emplace(k.tmpl, std::move(tmpl));
        }
        std::string level = level_of(text);
        if (!level.empty()) {
          auto at = std::find(levels.begin(), levels.end(), level);
          k.level = std::size_t(at - levels.begin());
          if (at == levels.end()) levels.push_back(level);
        }
        found = of.emplace(it.hash, k).first;
      }
      const Kind& k = found->second;
      it.head = k.tmpl;
      auto [c, fresh] = per_template.try_emplace(k.tmpl, Count{0, it.seq});
      if (fresh) order.push_back(k.tmpl);
      ++c->second.n;
      if (k.level) {
        if (per_level.size() < levels.size()) per_level.resize(levels.size());
        if (!per_level[k.level].n) per_level[k.level].seq = it.seq;
        ++per_level[k.level].n;
      }
    }
    auto add = [&](const std::string& key, const Count& n) {
      auto [c, fresh] = profile.counts.try_emplace(key, n);
      if (!fresh) c->second.n += n.n;
    };
    for (auto t : order) add(lane.name + kLinesLike + "'" + profile.head(t) + "'", per_template[t]);
    for (std::size_t l = 1; l < per_level.size(); ++l)
      if (per_level[l].n) add(lane.name + kLinesAtLevel + levels[l], per_level[l]);
  }
}

}  // namespace bbx::compare
