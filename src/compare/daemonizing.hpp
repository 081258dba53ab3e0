// How each subject daemonized, from all its subject.daemonized links (from -> pid): a
// double fork is journaled either as two links (launcher -> middle -> daemon, the middle
// process exiting as the main one) or as one (launcher -> daemon, the middle process
// exiting as any other), depending on which exit the supervisor saw first. Both are one
// step of behaviour: "daemonizes" from the launcher into the daemon.
#pragma once

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "bbx/event.hpp"

namespace bbx::compare {

struct Daemonizing {
  std::map<long long, long long> link;      // from -> pid
  std::set<long long> targets;              // every pid some link leads to
  bool leads_from(long long pid) const { return link.count(pid) > 0; }
  // The end of the chain that starts at pid.
  long long end_of(long long pid) const {
    for (int guard = 0; guard < 64; ++guard) {
      auto it = link.find(pid);
      if (it == link.end()) return pid;
      pid = it->second;
    }
    return pid;
  }
  // The start of the chain that pid is on.
  long long start_of(long long pid) const {
    for (int guard = 0; guard < 64; ++guard) {
      auto it = std::find_if(link.begin(), link.end(), [&](const auto& l) { return l.second == pid; });
      if (it == link.end()) return pid;
      pid = it->first;
    }
    return pid;
  }
  // A process made between a chain's launcher and its daemon (pids grow in creation order).
  bool inside_a_chain(long long pid) const {
    for (const auto& [from, to] : link)
      if (!targets.count(from) && from < pid && pid < end_of(from)) return true;
    return false;
  }
};

// Every subject's daemonizing links, learned event by event from a type-filtered scan of
// the journal (the one Roles::learn makes): adds the link of a subject.daemonized event to
// `out`; other events are passed over. Pure but for `out`.
void learn_daemonizing(const Event& e, std::map<std::string, Daemonizing>& out);

}  // namespace bbx::compare
