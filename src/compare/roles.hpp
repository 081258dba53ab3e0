// Normalisation, layer 1: the values bbx itself allocated during one run, learned from that
// run's journal, replaced by the role they play. Two runs of one scenario differ in them
// by construction (docs/journal-events.md, "Fields that vary from run to run"):
//
//   the sandbox path and the directories above it  [SANDBOX], [SCENARIO_DIR], [RUN_DIR], [RUN_ID]
//   ports: ${ports.NAME}, fakes' ports, subjects'    [PORT:NAME]
//   pids of subjects, their supervisors, commands    [PID:app], [PID:app#2], [PID:app/supervisor],
//                                                    [PID:command#3]
//   the host name                                    [HOSTNAME]
//
// Pids of one subject are numbered in ascending order (the order the kernel made them in),
// so the numbering does not depend on which exit was journaled first. In free text a known
// port is replaced wherever it stands as a number of its own; a known pid only after "pid"
// ("pid=7", "PID 7", "pid: 7"), since small pids (namespaces) look like any other number.
//
// Idempotent: apply(apply(t)) == apply(t) (role tokens are never rewritten). Immutable once
// learned; thread-safe to share.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "journal/event_log.hpp"

namespace bbx::compare {

class Roles {
 public:
  // One type-filtered scan of the journal's allocation events (scenario.begin,
  // port.allocate, fake.listen, statsd.receiver, tcp.server, socket.listen, process.spawn,
  // subject.daemonized, process.exit, command.start). `also`, when given, sees every event
  // of that scan as well, in journal order (learn_daemonizing's links: one read of the journal).
  static Roles learn(const journal::EventLog& log, const std::function<void(const Event&)>& also = {});

  // Building by hand (tests, and learn itself). A later role for a value already known is ignored.
  void add_path(std::string path, std::string role);
  void add_port(int port, std::string name);
  void add_pid(int pid, std::string role);
  void set_host_name(std::string name);

  // The role of a pid or a port, as a token ("[PID:app]", "[PORT:upstream]").
  std::optional<std::string> pid_role(long long pid) const;
  std::optional<std::string> port_role(long long port) const;

  // text with every allocated value replaced by its role (appended to out).
  void apply(std::string_view text, std::string& out) const;
  std::string apply(std::string_view text) const {
    std::string out;
    apply(text, out);
    return out;
  }
  bool empty() const { return paths_.empty() && pids_.empty() && ports_.empty() && host_.empty(); }
  // True when apply() copies text unchanged because no value it replaces occurs in it: no
  // known path, host name, port of 1024 and up (lower ones are never replaced in text), nor,
  // when pids are known, the word "pid" (a pid is replaced only after it). One pass over
  // the pairs of characters such a value starts with (most texts hold digits, which alone
  // say nothing: ports and pids are a few numbers among many), then a compare where one does.
  bool passes_over(std::string_view text) const {
    for (std::size_t i = 0; i + 1 < text.size(); ++i)
      if (firsts_[static_cast<unsigned char>(text[i])] && starts_pair(text[i], text[i + 1]) && replaces_at(text, i)) return false;
    return true;
  }

 private:
  std::vector<std::pair<std::string, std::string>> paths_;  // value -> token, longest value first
  std::unordered_map<long long, std::string> pids_, ports_;
  std::string host_;
  std::array<bool, 256> starts_{};  // characters a replacement may start with: the rest are copied in runs
  void may_start(char c) { starts_[static_cast<unsigned char>(c)] = true; }
  // passes_over()'s filter: the first two characters of every value replaced in text (paths,
  // the host name, ports of 1024 and up as digits, "pid" in any case), a bit per pair.
  std::array<std::uint64_t, 1024> pairs_{};
  std::array<bool, 256> firsts_{};  // the first characters of those pairs: one load rules most characters out
  std::vector<std::string> needles_;  // those values ("pid" aside)
  static std::size_t pair_of(char a, char b) { return std::size_t(static_cast<unsigned char>(a)) << 8 | static_cast<unsigned char>(b); }
  bool starts_pair(char a, char b) const {
    auto k = pair_of(a, b);
    return (pairs_[k >> 6] >> (k & 63)) & 1;
  }
  void may_start_pair(char a, char b) {
    firsts_[static_cast<unsigned char>(a)] = true;
    auto k = pair_of(a, b);
    pairs_[k >> 6] |= std::uint64_t(1) << (k & 63);
  }
  void add_needle(std::string value);
  bool replaces_at(std::string_view text, std::size_t i) const;
};

}  // namespace bbx::compare
