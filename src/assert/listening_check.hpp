// `listening:` expectations: a subject's process tree holds (or does not hold) a listening
// socket on a port, covering an address with the Linux stack's dual-stack semantics
// (probes::address_covers: "::" covers IPv4 only when known dual-stack).
//
// `nothing: true` / `only: [ADDRESS, ...]`: every listening socket of the subject's tree (on
// `port`, when given) is a failure / must be bound to one of the addresses exactly (as
// inet_ntop writes them: "0.0.0.0" is not "127.0.0.1").
//
// Attribution: the sockets' inodes are matched against those open in the subject's main
// process and its descendants (/proc/PID/fd). Without a subject any socket counts.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "bbx/outcome.hpp"
#include "probes/listening_sockets.hpp"
#include "process/supervisor.hpp"
#include "runtime/run_context.hpp"

namespace bbx::assertions {

// What the live probe saw at one moment.
struct ListeningFacts {
  std::vector<probes::ListeningSocket> sockets;  // every listening socket of spec.proto
  bool subject_running = true;
  std::optional<std::set<std::uint64_t>> owned;  // inodes of the subject's tree; nullopt = any
  std::string source = "sock_diag";              // or "/proc/net" (v6only unknown)
};

// Pure verdict over recorded facts; spec.port holds the port itself (its ${...} resolved).
CheckResult judge_listening(const model::ListeningExpectation& spec, const ListeningFacts& facts,
                            const SourceLocation& where);

// spec with its port's ${...} expanded (RunValues::expand_integer; throws bbx::Error
// invalid_input at the port when it is not a port number).
model::ListeningExpectation resolved(const runtime::RunContext& ctx, const model::ListeningExpectation& spec);

// Probes now: sock_diag (falling back to /proc/net) and the subject's tree.
ListeningFacts probe_listening(const model::ListeningExpectation& spec, const process::Supervisor& supervisor);

std::string describe(const model::ListeningExpectation& spec);

}  // namespace bbx::assertions
