// Log templates: lines grouped by the template they were printed from, Drain-style (He et
// al., ICWS 2017): the line is split into tokens at spaces; a fixed-depth prefix tree keyed
// by the token count and then by the first kDepth tokens (a token with a digit in it goes
// down the `<*>` branch, as does any token once a node has kMaxChildren children) leads to
// a short list of clusters; the line joins the cluster whose template has the most tokens
// equal to its own at the same positions, if that is at least kSimilarity of them, and the
// positions where they differ become `<*>`; otherwise it starts a cluster of its own.
//
// Lines are normalised first (roles and aliases, normalise.hpp), which does the masking
// Drain's preprocessing does with regexes. Known weaknesses of the method (Drain3 #109,
// #66): two short lines that differ in one word ("VM started"/"VM paused") merge; a
// parameter that is sometimes two tokens splits a template in two.
//
// Learning (add, add_template) is by one thread at a time; once learned, the const members
// (match, template_of, size) only read and may be called from several threads at once
// (count_lines of both sides of a diff). Memory: the templates and the tree, not the lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bbx::compare {

class TemplateMiner {
 public:
  static constexpr std::size_t kDepth = 2;          // token levels below the length level
  static constexpr std::size_t kMaxChildren = 100;  // per tree node, then `<*>`
  static constexpr double kSimilarity = 0.5;        // share of positions that must be equal
  static constexpr std::size_t kMaxTokens = 256;    // tokens beyond are kept in the last one

  TemplateMiner();
  ~TemplateMiner();
  TemplateMiner(TemplateMiner&&) noexcept;
  TemplateMiner& operator=(TemplateMiner&&) noexcept;

  // Learns from line: the id of the cluster it joined or started (ids count from 0).
  std::size_t add(std::string_view line);
  // The cluster whose template covers line (every non-`<*>` token equal at its position),
  // without learning; nullopt when none does.
  std::optional<std::size_t> match(std::string_view line) const;
  // Adds a template as written ("request GET <*>"), e.g. one read back from a baseline.
  std::size_t add_template(std::string_view template_text);

  // "request GET <*>"
  std::string template_of(std::size_t id) const;
  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The level a log line says it is at, from its first level word ("ERROR", "warn:",
// "[info]", "level=debug"): "fatal", "error", "warn", "info", "debug", "trace", or "" when
// it names none. Case-insensitive; "err", "crit", "critical", "warning", "panic" included.
std::string level_of(std::string_view line);

}  // namespace bbx::compare
