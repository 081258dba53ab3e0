#include "compare/run_profile.hpp"

#include <map>

#include "bbx/error.hpp"
#include "compare/daemonizing.hpp"
#include "compare/identity_text.hpp"
#include "compare/journal_record.hpp"
#include "compare/profile_builder.hpp"
#include "journal/stored_journal.hpp"

namespace bbx::compare {

using nlohmann::json;

const Lane* RunProfile::lane(const std::string& name) const {
  for (const auto& l : lanes)
    if (l.name == name) return &l;
  return nullptr;
}

const std::string& RunProfile::text(std::uint64_t hash) const {
  static const std::string none;
  auto it = texts.find(hash);
  return it == texts.end() ? none : it->second;
}

const std::string& RunProfile::head(std::uint64_t hash) const {
  static const std::string none;
  auto it = heads.find(hash);
  return it == heads.end() ? none : it->second;
}

namespace {

RunProfile build(const std::filesystem::path& path, const ProfileOptions& options) {
  journal::StoredJournal log(path);
  RunProfile p;
  p.journal = path;
  Event first;
  try {
    first = log.at(1);
  } catch (const std::out_of_range&) {
    fail_input({path.string()}, "the journal is empty (no scenario.begin)");
  }
  if (first.type != "scenario.begin") fail_input({path.string() + ":1:1"}, "not a journal: it does not start with scenario.begin");
  p.id = first.body.value("id", first.source.name);
  Rules rules = Rules::from_json(first.body.value("compare", json()), path.string() + ":1:1");
  // One scan learns both the roles and the daemonizing links (subject.daemonized is a role event).
  std::map<std::string, Daemonizing> daemonizing;
  Roles roles = Roles::learn(log, [&](const Event& e) { learn_daemonizing(e, daemonizing); });
  ProfileBuilder b(p, options, IdentityText(std::move(roles), std::move(rules)), std::move(daemonizing));
  std::int64_t last_t = 0;
  auto tail = for_each_record(path, [&](const Record& e) {
    b.add(e);
    last_t = e.t_ns;
  });
  if (tail.line) p.cut_tail = "line " + std::to_string(tail.line) + ": " + tail.what;
  b.finish(last_t);
  return p;
}

}  // namespace

RunProfile build_profile(const std::filesystem::path& journal, const ProfileOptions& options) { return build(journal, options); }

void fetch_texts(RunProfile& profile, const std::unordered_set<std::uint64_t>& want) {
  std::unordered_set<std::uint64_t> missing;
  for (auto h : want)
    if (!profile.texts.count(h)) missing.insert(h);
  if (missing.empty()) return;
  ProfileOptions o;
  o.want = &missing;
  RunProfile again = build(profile.journal, o);
  for (auto& [h, t] : again.texts) profile.texts.emplace(h, std::move(t));
}

}  // namespace bbx::compare
