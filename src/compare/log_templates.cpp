#include "compare/log_templates.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <unordered_map>

#include "util/text_hash.hpp"

namespace bbx::compare {

namespace {

constexpr std::string_view kWild = "<*>";

bool has_digit(std::string_view t) {
  for (char c : t)
    if (c >= '0' && c <= '9') return true;
  return false;
}

void tokenize(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    std::size_t j = i;
    if (out.size() + 1 == TemplateMiner::kMaxTokens) {
      j = line.size();
      while (j > i && (line[j - 1] == ' ' || line[j - 1] == '\t')) --j;
    } else {
      while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    }
    out.push_back(line.substr(i, j - i));
    i = j;
  }
}

}  // namespace

struct TemplateMiner::Impl {
  struct Node {
    std::unordered_map<std::string, std::unique_ptr<Node>, util::TextHash, std::equal_to<>> children;
    std::vector<std::size_t> clusters;
  };
  struct Cluster {
    std::vector<std::string> tokens;
  };

  std::unordered_map<std::size_t, Node> by_length;
  std::vector<Cluster> clusters;
  std::vector<std::string_view> scratch;

  // The leaf for tokens, created on the way when `create`; nullptr when absent.
  Node* leaf(const std::vector<std::string_view>& tokens, bool create) {
    auto it = by_length.find(tokens.size());
    if (it == by_length.end()) {
      if (!create) return nullptr;
      it = by_length.emplace(tokens.size(), Node{}).first;
    }
    Node* node = &it->second;
    for (std::size_t d = 0; d < std::min(kDepth, tokens.size()); ++d) {
      std::string_view key = has_digit(tokens[d]) ? kWild : tokens[d];
      auto child = node->children.find(key);
      if (child == node->children.end()) {
        if (node->children.size() >= kMaxChildren) key = kWild;
        child = node->children.find(key);
        if (child == node->children.end()) {
          if (!create) return nullptr;
          child = node->children.emplace(std::string(key), std::make_unique<Node>()).first;
        }
      }
      node = child->second.get();
    }
    return node;
  }

  // Matching positions of a cluster's template and tokens (`<*>` counts as no match), and
  // whether the template covers them entirely.
  static std::pair<std::size_t, bool> similarity(const Cluster& c, const std::vector<std::string_view>& tokens) {
    std::size_t same = 0;
    bool covers = true;
    for (std::size_t k = 0; k < tokens.size(); ++k) {
      if (c.tokens[k] == kWild) continue;
      if (c.tokens[k] == tokens[k])
        ++same;
      else
        covers = false;
    }
    return {same, covers};
  }

  // Clusters under every leaf a line could lead to: its own path, and `<*>` branches.
  void candidates(const Node& node, const std::vector<std::string_view>& tokens, std::size_t depth,
                  std::vector<std::size_t>& out) const {
    if (depth == std::min(kDepth, tokens.size())) {
      out.insert(out.end(), node.clusters.begin(), node.clusters.end());
      return;
    }
    std::string_view key = has_digit(tokens[depth]) ? kWild : tokens[depth];
    if (auto c = node.children.find(key); c != node.children.end()) candidates(*c->second, tokens, depth + 1, out);
    if (key != kWild)
      if (auto c = node.children.find(kWild); c != node.children.end()) candidates(*c->second, tokens, depth + 1, out);
  }
};

TemplateMiner::TemplateMiner() : impl_(std::make_unique<Impl>()) {}
TemplateMiner::~TemplateMiner() = default;
TemplateMiner::TemplateMiner(TemplateMiner&&) noexcept = default;
TemplateMiner& TemplateMiner::operator=(TemplateMiner&&) noexcept = default;

std::size_t TemplateMiner::add(std::string_view line) {
  auto& tokens = impl_->scratch;
  tokenize(line, tokens);
  Impl::Node* node = impl_->leaf(tokens, true);
  std::size_t best = SIZE_MAX, best_same = 0;
  for (std::size_t id : node->clusters) {
    auto [same, covers] = Impl::similarity(impl_->clusters[id], tokens);
    if (covers) return id;  // nothing to learn
    if (best == SIZE_MAX || same > best_same) best = id, best_same = same;
  }
  if (best != SIZE_MAX && !tokens.empty() && double(best_same) >= kSimilarity * double(tokens.size())) {
    auto& t = impl_->clusters[best].tokens;
    for (std::size_t k = 0; k < tokens.size(); ++k)
      if (t[k] != tokens[k]) t[k] = kWild;
    return best;
  }
  Impl::Cluster c;
  c.tokens.assign(tokens.begin(), tokens.end());
  impl_->clusters.push_back(std::move(c));
  node->clusters.push_back(impl_->clusters.size() - 1);
  return impl_->clusters.size() - 1;
}

std::optional<std::size_t> TemplateMiner::match(std::string_view line) const {
  std::vector<std::string_view> tokens;
  tokenize(line, tokens);
  auto it = impl_->by_length.find(tokens.size());
  if (it == impl_->by_length.end()) return std::nullopt;
  std::vector<std::size_t> found;
  impl_->candidates(it->second, tokens, 0, found);
  std::optional<std::size_t> best;
  std::size_t best_same = 0;
  for (std::size_t id : found) {
    auto [same, covers] = Impl::similarity(impl_->clusters[id], tokens);
    if (covers && (!best || same > best_same)) best = id, best_same = same;
  }
  return best;
}

std::size_t TemplateMiner::add_template(std::string_view template_text) {
  std::vector<std::string_view> tokens;
  tokenize(template_text, tokens);
  // The path follows the template's own tokens: a `<*>` within the depth goes down `<*>`.
  Impl::Node* node = impl_->leaf(tokens, true);
  for (std::size_t id : node->clusters) {
    const auto& t = impl_->clusters[id].tokens;
    if (std::equal(t.begin(), t.end(), tokens.begin(), tokens.end())) return id;
  }
  Impl::Cluster c;
  c.tokens.assign(tokens.begin(), tokens.end());
  impl_->clusters.push_back(std::move(c));
  node->clusters.push_back(impl_->clusters.size() - 1);
  return impl_->clusters.size() - 1;
}

std::string TemplateMiner::template_of(std::size_t id) const {
  std::string out;
  for (const auto& t : impl_->clusters.at(id).tokens) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

std::size_t TemplateMiner::size() const { return impl_->clusters.size(); }

std::string level_of(std::string_view line) {
  // The first word (letters only) that names a level, within the first 12 words.
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };  // isalpha in the C locale
  std::size_t i = 0, words = 0;
  while (i < line.size() && words < 12) {
    while (i < line.size() && !letter(line[i])) ++i;
    std::size_t j = i;
    while (j < line.size() && letter(line[j])) ++j;
    if (j == i) break;
    ++words;
    // Lowercased into a small buffer: no level word is longer than 8 letters.
    char buf[9];
    const std::size_t n = j - i;
    if (n >= sizeof buf) {
      i = j;
      continue;
    }
    for (std::size_t k = 0; k < n; ++k) buf[k] = char(line[i + k] | 0x20);  // ASCII letters: lower case
    const std::string_view w(buf, n);
    if (w == "fatal" || w == "panic" || w == "crit" || w == "critical" || w == "emerg" || w == "alert") return "fatal";
    if (w == "error" || w == "err") return "error";
    if (w == "warn" || w == "warning") return "warn";
    if (w == "info" || w == "notice") return "info";
    if (w == "debug") return "debug";
    if (w == "trace") return "trace";
    i = j;
  }
  return "";
}

}  // namespace bbx::compare
