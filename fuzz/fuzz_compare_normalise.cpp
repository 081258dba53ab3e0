// Fuzz target: the diff's normalisation and log templates (compare/roles.hpp,
// volatile_values.hpp, both through identity_text.hpp, rules.hpp redactions,
// log_templates.hpp), free text in -> normalised text and templates. Each line of the input
// is a log/output line of a run whose roles are fixed below. Checked contracts: nothing
// throws; the layers are idempotent (a normalised text normalises to itself: roles, volatile
// values, the two together); a line the miner learnt is covered by a template (match() finds one), and a
// template's text can be added back as a template (baselines store them so).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "compare/identity_text.hpp"
#include "compare/log_templates.hpp"
#include "compare/roles.hpp"
#include "compare/rules.hpp"
#include "compare/volatile_values.hpp"
#include "fuzz_target.hpp"
#include "util/regex.hpp"

namespace {

using namespace bbx::compare;
using bbx::fuzz::finding;

Roles make_roles() {
  Roles roles;
  roles.add_path("/tmp/bbx/runs/20261206-120000-abcd/s1/sandbox", "[SANDBOX]");
  roles.add_path("/tmp/bbx/runs/20261206-120000-abcd", "[RUN_DIR]");
  roles.add_path("20261206-120000-abcd", "[RUN_ID]");
  roles.add_port(41234, "upstream");
  roles.add_port(8080, "api");
  roles.add_pid(77, "[PID:app]");
  roles.add_pid(4242, "[PID:app#2]");
  roles.set_host_name("host1");
  return roles;
}

Rules make_rules() {
  Rules rules;
  rules.add(RedactRule{bbx::util::Regex::compile("token=[A-Za-z0-9]+"), "token=[TOKEN]"});
  return rules;
}

std::string excerpt(std::string_view s) { return std::string(s.substr(0, 200)); }

void check_line(std::string_view line, const Roles& roles, IdentityText& identity, const Rules& redactions,
                TemplateMiner& miner) {
  auto r = roles.apply(line);
  if (roles.passes_over(line) && r != line)
    finding("roles passed over a text they change: " + excerpt(line) + "\n  applied: " + excerpt(r));
  if (auto r2 = roles.apply(r); r2 != r)
    finding("roles are not idempotent on: " + excerpt(line) + "\n  once:  " + excerpt(r) + "\n  twice: " + excerpt(r2));
  Aliases aliases, again;
  auto m = mask_volatile(line, aliases);
  if (auto m2 = mask_volatile(m, again); m2 != m)
    finding("volatile values are not idempotent on: " + excerpt(line) + "\n  once:  " + excerpt(m) + "\n  twice: " + excerpt(m2));
  Aliases scope;
  auto n = identity.norm(line, scope);
  Aliases scope2;
  if (auto n2 = identity.norm(n, scope2); n2 != n)
    finding("normalisation is not idempotent on: " + excerpt(line) + "\n  once:  " + excerpt(n) + "\n  twice: " + excerpt(n2));
  // The scenario's redactions run last and are the user's: a rule may write brackets into
  // what the layers before read as one token, so they are run, not held to idempotence.
  std::string redacted = n;
  redactions.redact(redacted);
  (void)level_of(line);
  auto id = miner.add(n);
  if (!miner.match(n)) finding("a learnt line matches no template: " + excerpt(n));
  auto text = miner.template_of(id);
  TemplateMiner other;
  other.add_template(text);
  if (!other.match(text)) finding("a template added back does not cover its own text: " + excerpt(text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Roles roles = make_roles();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  try {
    IdentityText identity(roles, Rules{});
    const Rules redactions = make_rules();
    TemplateMiner miner;
    while (!in.empty()) {
      auto eol = in.find('\n');
      check_line(in.substr(0, eol), roles, identity, redactions, miner);
      in.remove_prefix(eol == std::string_view::npos ? in.size() : eol + 1);
    }
    for (std::size_t i = 0; i < miner.size(); ++i) (void)miner.template_of(i);
  } catch (...) {
    finding("the diff's normalisation threw: " + bbx::fuzz::describe_current_exception());
  }
  return 0;
}
