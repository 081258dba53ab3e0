// Normalisation, layer 3: a scenario's own `compare:` rules (model/compare.hpp), read back
// from the scenario.begin event of its journal (the rules the run had), with their regexes
// compiled. `ignore` leaves events, or one field of them, out of the comparison; `redact`
// rewrites compared text after layers 1 and 2. Immutable; thread-safe to share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/regex.hpp"

namespace bbx::compare {

struct IgnoreRule {
  std::string type;    // glob, "" any
  std::string source;  // glob, "" any
  std::string field;   // "" the whole event
  std::optional<util::Regex> matches;
};

struct RedactRule {
  util::Regex pattern;
  std::string replace;  // $0..$9
};

class Rules {
 public:
  Rules() = default;
  // From scenario.begin's body.compare. Throws bbx::Error (invalid_input), naming `where`,
  // when it is malformed or a regex does not compile (a journal edited by hand).
  static Rules from_json(const nlohmann::json& compare, const std::string& where);

  // Whether rules leave out the whole event (type, source name, its normalised text).
  bool ignores_event(std::string_view type, std::string_view source, std::string_view text) const;
  // The fields of events of this type and source that rules leave out ("body",
  // "headers.X-Request-Id").
  std::vector<std::string> ignored_fields(std::string_view type, std::string_view source) const;
  // Applies every redaction in order, in place.
  void redact(std::string& text) const;

  bool empty() const { return ignore_.empty() && redact_.empty(); }
  bool has_redactions() const { return !redact_.empty(); }
  const std::vector<IgnoreRule>& ignore() const { return ignore_; }

  void add(IgnoreRule rule) { ignore_.push_back(std::move(rule)); }
  void add(RedactRule rule) { redact_.push_back(std::move(rule)); }

 private:
  std::vector<IgnoreRule> ignore_;
  std::vector<RedactRule> redact_;
};

}  // namespace bbx::compare
