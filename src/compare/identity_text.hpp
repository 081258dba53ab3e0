// The identity text of an event for the comparison: a head ("GET /api/x", "exits: ...")
// then every body field the comparison keeps, "k=v | k=v", sorted by name, with strings
// normalised in layers (roles.hpp, then volatile_values.hpp, then the scenario's redactions)
// and quoted when they hold a separator; integers of role fields (pids, ports) replaced by
// their role. Which fields count is event_fields.hpp's table and the scenario's `ignore`.
// Holds the run's roles and rules and reusable buffers: one per profile, used by one
// thread at a time.
#pragma once

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "compare/event_fields.hpp"
#include "compare/journal_record.hpp"
#include "compare/roles.hpp"
#include "compare/rules.hpp"
#include "compare/volatile_values.hpp"
#include "util/text_hash.hpp"

namespace bbx::compare {

class IdentityText {
 public:
  IdentityText(Roles roles, Rules rules) : roles_(std::move(roles)), rules_(std::move(rules)) {}

  // text normalised (roles, volatile values with `aliases`, redactions), appended to out.
  void norm(std::string_view text, Aliases& aliases, std::string& out);
  std::string norm(std::string_view text, Aliases& aliases) {
    std::string out;
    norm(text, aliases, out);
    return out;
  }
  // Every field of body the comparison keeps (event_fields.hpp and the scenario's ignored
  // fields), appended to out as " | k=v | k=v"; `skip` names fields the head holds, prefix
  // the path of a nested body ("request").
  void render_fields(const Record& e, Val body, std::string_view prefix, Aliases& aliases, std::string& out,
                     std::initializer_list<std::string_view> skip);

  const Roles& roles() const { return roles_; }
  const Rules& rules() const { return rules_; }

 private:
  void norm_quoted(std::string_view text, Aliases& aliases, std::string& out);
  void render_value(Val v, std::string_view path, Treatment how, const std::vector<std::string>& ignored, Aliases& aliases,
                    std::string& out);
  const std::vector<std::string>& ignored_fields(const Record& e);

  Roles roles_;
  Rules rules_;
  std::string scratch_, normed_;
  // Short texts already normalised without a numbered alias (header values, methods,
  // versions repeat on every request), up to kRemembered of them: memory stays bounded.
  static constexpr std::size_t kRememberedSize = 64, kRemembered = 16384;
  boost::unordered_flat_map<std::string, std::string, util::TextHash, std::equal_to<>> remembered_;
  std::unordered_map<std::string, std::vector<std::string>> ignored_cache_;
  const std::vector<std::string> no_fields_;
};

}  // namespace bbx::compare
