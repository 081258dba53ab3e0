#include "assert/listening_check.hpp"

#include <algorithm>

#include "probes/proc_table.hpp"
#include "util/text.hpp"

namespace bbx::assertions {

namespace {

using probes::ListeningSocket;

bool owned_by(const ListeningFacts& f, const ListeningSocket& s) { return !f.owned || f.owned->count(s.inode) > 0; }

int port_of(const model::ListeningExpectation& spec) { return spec.port ? static_cast<int>(spec.port->value) : 0; }

// "tcp port 8080", or "tcp" for every port.
std::string port_text(const model::ListeningExpectation& spec) {
  return spec.proto + (spec.port ? " port " + std::to_string(port_of(spec)) : "");
}

bool on_only(const model::ListeningExpectation& spec, const ListeningSocket& s) {
  return std::find(spec.only.begin(), spec.only.end(), s.address) != spec.only.end();
}

std::string who(const model::ListeningExpectation& spec) {
  return spec.subject.empty() ? "any process" : "subject '" + spec.subject + "'";
}

std::string list_of(const std::vector<const ListeningSocket*>& v) {
  std::vector<std::string> parts;
  for (const auto* s : v) parts.push_back(probes::describe(*s));
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return util::join(parts, ", ");
}

// Why nothing qualified: the closest candidates, best first.
std::string near_misses(const model::ListeningExpectation& spec, const ListeningFacts& f) {
  std::vector<const ListeningSocket*> same_port_owned, same_port_other, owned_other_port;
  for (const auto& s : f.sockets) {
    bool mine = owned_by(f, s);
    if (s.port == port_of(spec)) (mine ? same_port_owned : same_port_other).push_back(&s);
    else if (mine && f.owned) owned_other_port.push_back(&s);
  }
  std::string addr = spec.address.empty() ? "" : spec.address;
  if (!same_port_owned.empty())
    return list_of(same_port_owned) + (same_port_owned.size() == 1 ? " does" : " do") + " not cover " + addr +
           (f.source == "/proc/net" ? " (v6only unknown from /proc/net)" : "");
  std::string out = "nothing of " + who(spec) + " listens on " + port_text(spec);
  if (!same_port_other.empty()) out += "; held by another process: " + list_of(same_port_other);
  if (!owned_other_port.empty()) out += "; " + who(spec) + " listens on: " + list_of(owned_other_port);
  else if (f.owned) out += "; " + who(spec) + " listens on no " + spec.proto + " port";
  return out;
}

// `nothing` / `only`: every listening socket of the subject's tree (on the port, if one is
// given) is unwanted (nothing) or must be on one of the addresses (only).
// `nothing` / `only`: every listening socket of the subject's tree (on the port, if one is
// given) is unwanted (nothing) or must be at one of the addresses (only).
CheckResult judge_whole_subject(const model::ListeningExpectation& spec, const ListeningFacts& f, CheckResult r) {
  std::string sockets = "listening " + spec.proto + " sockets" + (spec.port ? " on port " + std::to_string(port_of(spec)) : "");
  r.expected = spec.nothing ? "no " + sockets : "only " + sockets + " on " + util::join(spec.only, " or ");
  if (!f.subject_running) {
    r.actual = "subject '" + spec.subject + "' is not running";
    return r;
  }
  std::vector<const ListeningSocket*> mine, wrong;
  for (const auto& s : f.sockets)
    if (owned_by(f, s) && (!spec.port || s.port == port_of(spec))) {
      mine.push_back(&s);
      if (spec.nothing || !on_only(spec, s)) wrong.push_back(&s);
    }
  r.passed = wrong.empty();
  if (mine.empty()) r.actual = "it listens on no " + port_text(spec);
  else if (spec.nothing) r.actual = "listening on " + list_of(wrong);
  else r.actual = wrong.empty() ? "listening on " + list_of(mine) : "also listening on " + list_of(wrong);
  return r;
}

}  // namespace

std::string describe(const model::ListeningExpectation& spec) {
  std::string ports = spec.port ? port_text(spec) : spec.proto + " port";
  if (spec.nothing) return "subject '" + spec.subject + "' listening on no " + ports;
  if (!spec.only.empty())
    return "subject '" + spec.subject + "' listening on " + (spec.port ? ports : ports + "s") + " only at " +
           util::join(spec.only, ", ");
  std::string port = port_text(spec);
  if (!spec.listening)  // worded as the expectation, never as what happened
    return "no listening socket of " + (spec.subject.empty() ? std::string("any process") : "subject '" + spec.subject + "'") +
           " on " + port + (spec.address.empty() ? "" : " covering " + spec.address);
  return (spec.subject.empty() ? std::string("a process") : "subject '" + spec.subject + "'") + " listening on " + port +
         (spec.address.empty() ? "" : " at " + spec.address);
}

CheckResult judge_listening(const model::ListeningExpectation& spec, const ListeningFacts& f, const SourceLocation& where) {
  CheckResult r;
  r.what = describe(spec);
  r.where = where;
  if (spec.nothing || !spec.only.empty()) return judge_whole_subject(spec, f, r);
  std::string target = port_text(spec) +
                       (spec.address.empty() ? "" : " covering " + spec.address);
  r.expected = spec.listening ? "a listening socket on " + target : "no listening socket on " + target;
  if (!f.subject_running) {
    r.actual = "subject '" + spec.subject + "' is not running";
    r.passed = !spec.listening;
    return r;
  }
  std::vector<const ListeningSocket*> found;
  for (const auto& s : f.sockets)
    if (s.port == port_of(spec) && owned_by(f, s) && probes::address_covers(s, spec.address)) found.push_back(&s);
  r.passed = spec.listening == !found.empty();
  if (found.empty()) r.actual = near_misses(spec, f);
  else r.actual = (spec.listening ? "" : "unexpectedly listening on ") + list_of(found);
  return r;
}

model::ListeningExpectation resolved(const runtime::RunContext& ctx, const model::ListeningExpectation& spec) {
  auto out = spec;
  if (out.port) out.port->value = ctx.expand_integer(*out.port);
  return out;
}

ListeningFacts probe_listening(const model::ListeningExpectation& spec, const process::Supervisor& supervisor) {
  ListeningFacts f;
  auto proto = spec.proto == "udp" ? probes::Proto::udp : probes::Proto::tcp;
  try {
    probes::ListeningSocketProbe probe;
    probe.dump(proto, f.sockets);
  } catch (const std::system_error&) {
    f.sockets = probes::read_proc_net(proto);
    f.source = "/proc/net";
  }
  if (spec.subject.empty()) return f;
  const auto* state = supervisor.state(spec.subject);
  if (!state || state->exit) {
    f.subject_running = false;
    return f;
  }
  std::set<std::uint64_t> inodes = probes::socket_inodes_of_pid(state->pid);
  for (pid_t pid : probes::descendants_of(state->pid, probes::read_proc_table()))
    for (auto inode : probes::socket_inodes_of_pid(pid)) inodes.insert(inode);
  f.owned = std::move(inodes);
  return f;
}

}  // namespace bbx::assertions
