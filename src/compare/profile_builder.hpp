// A run's profile (run_profile.hpp) built event by event: each event type's handler turns
// it into items of lanes (with identity texts, identity_text.hpp), outcomes, counts and
// numbers (docs/comparing-runs.md says what each type gives). Events of types this bbx
// does not know are counted and not compared. Used by one thread at a time; the profile
// and options must outlive the builder.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "compare/daemonizing.hpp"
#include "compare/identity_text.hpp"
#include "compare/journal_record.hpp"
#include "compare/run_profile.hpp"

namespace bbx::compare {

class ProfileBuilder {
 public:
  // identity: the run's roles and the scenario's rules; daemonizing: learn_daemonizing()'s links.
  ProfileBuilder(RunProfile& profile, const ProfileOptions& options, IdentityText identity,
                 std::map<std::string, Daemonizing> daemonizing);
  ~ProfileBuilder();
  ProfileBuilder(const ProfileBuilder&) = delete;
  ProfileBuilder& operator=(const ProfileBuilder&) = delete;

  // The events in journal order.
  void add(const Record& e);
  // Numbers (medians of samples, peaks, the scenario's duration up to its last event) into
  // the profile; once, after the last add().
  void finish(std::int64_t last_t_ns);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bbx::compare
