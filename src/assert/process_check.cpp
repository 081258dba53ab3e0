#include "assert/process_check.hpp"

#include <pwd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

#include "assert/text_match.hpp"
#include "probes/kernel_file.hpp"
#include "probes/proc_table.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

constexpr std::size_t kShown = 5;

std::string entry_text(const ProcEntry& p) { return "pid " + std::to_string(p.pid) + " " + p.comm; }

std::string uid_text(const ProcEntry& p) {
  return "uid " + std::to_string(p.uid) + (p.user.empty() ? "" : " (" + p.user + ")");
}

std::string threads_text(long n) { return std::to_string(n) + (n == 1 ? " thread" : " threads"); }

std::string listing(const std::vector<const ProcEntry*>& v) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < v.size() && i < kShown; ++i) parts.push_back(entry_text(*v[i]));
  return util::join(parts, ", ") + (v.size() > kShown ? ", ..." : "");
}

bool user_is(const ProcEntry& p, const std::string& user) { return user == std::to_string(p.uid) || user == p.user; }

// The per-process checks (user, threads) that differ, e.g. "pid 11 fixture-child: uid 0 (root)".
std::vector<std::string> per_process_differences(const model::ProcessExpectation& spec,
                                                 const std::vector<const ProcEntry*>& hits) {
  std::vector<std::string> out;
  for (const auto* p : hits) {
    std::vector<std::string> bad;
    if (!spec.user.empty() && !user_is(*p, spec.user)) bad.push_back(uid_text(*p));
    if (spec.threads && !spec.threads->contains(p->threads)) bad.push_back(threads_text(p->threads));
    if (!bad.empty()) out.push_back(entry_text(*p) + ": " + util::join(bad, ", "));
  }
  return out;
}

std::string range_text(const model::Count& c) { return util::CountRange{c.min, c.max, c.not_equal}.describe(); }

std::string expected_text(const model::ProcessExpectation& spec) {
  std::vector<std::string> parts;
  if (spec.count_set) {
    std::string out = range_text(spec.count);
    std::vector<std::string> each;
    if (!spec.user.empty()) each.push_back("user " + spec.user);
    if (spec.threads) each.push_back("threads " + range_text(*spec.threads));
    parts.push_back(each.empty() ? out : out + ", each with " + util::join(each, " and "));
  }
  if (spec.zombies) parts.push_back("zombies " + range_text(*spec.zombies));
  return util::join(parts, "; ");
}

// Real uid and thread count from /proc/PID/status; uid -1 when unreadable.
void read_status(ProcEntry& p) {
  std::ifstream in("/proc/" + std::to_string(p.pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Uid:", 0) == 0) p.uid = std::strtol(line.c_str() + 4, nullptr, 10);
    if (line.rfind("Threads:", 0) == 0) p.threads = std::strtol(line.c_str() + 8, nullptr, 10);
  }
  if (p.uid < 0) return;
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(static_cast<uid_t>(p.uid), &pw, buf.data(), buf.size(), &found) == 0 && found) p.user = pw.pw_name;
}

std::string read_cmdline(pid_t pid) {
  std::string raw = probes::read_kernel_file("/proc/" + std::to_string(pid) + "/cmdline").value_or(std::string());
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  for (auto& c : raw)
    if (c == '\0') c = ' ';
  return raw;
}

}  // namespace

std::string describe(const model::ProcessExpectation& spec) {
  std::string out = "processes of subject '" + spec.subject + "'";
  if (!spec.name.empty()) out += " named '" + spec.name + "'";
  if (spec.cmdline) out += std::string(spec.name.empty() ? "" : " and") + " with cmdline /" + spec.cmdline->pattern + "/";
  return out;
}

CheckResult judge_process(const model::ProcessExpectation& spec, const std::vector<ProcEntry>& tree,
                          const SourceLocation& where) {
  CheckResult r;
  r.what = describe(spec);
  r.where = where;
  r.expected = expected_text(spec);
  std::optional<Matcher> cmdline;
  if (spec.cmdline) cmdline.emplace(*spec.cmdline);
  std::vector<const ProcEntry*> hits, all, zombies;
  for (const auto& p : tree) {
    bool selected = (spec.name.empty() || p.comm == spec.name) && (!cmdline || (*cmdline)(p.cmdline));
    if (p.state == 'Z') {
      if (selected) zombies.push_back(&p);
      continue;
    }
    all.push_back(&p);
    if (selected) hits.push_back(&p);
  }
  auto n = static_cast<std::int64_t>(hits.size());
  auto z = static_cast<std::int64_t>(zombies.size());
  auto differences = per_process_differences(spec, hits);
  bool count_ok = !spec.count_set || spec.count.contains(n);
  bool zombies_ok = !spec.zombies || spec.zombies->contains(z);
  r.passed = count_ok && zombies_ok && differences.empty();
  std::vector<std::string> actual;
  if (spec.count_set) actual.push_back(std::to_string(n) + (hits.empty() ? "" : ": " + listing(hits)));
  if (spec.zombies || z > 0)
    actual.push_back(std::to_string(z) + (z == 1 ? " zombie" : " zombies") + (zombies.empty() ? "" : ": " + listing(zombies)));
  if (tree.empty()) actual.push_back("subject '" + spec.subject + "' is not running");
  else if (!count_ok) actual.push_back("its tree has " + std::to_string(all.size()) + ": " + listing(all));
  if (!differences.empty()) actual.push_back("differs: " + util::join(differences, "; "));
  r.actual = util::join(actual, "; ");
  if (cmdline && cmdline->undecided()) {
    r.passed = false;
    r.actual += undecided_note(cmdline->undecided(), "command lines", *spec.cmdline);
  }
  return r;
}

std::vector<ProcEntry> probe_process_tree(const process::Supervisor& supervisor, const std::string& subject) {
  std::vector<ProcEntry> out;
  const auto* state = supervisor.state(subject);
  if (!state || state->exit) return out;
  auto table = probes::read_proc_table();
  auto tree = probes::descendants_of(state->pid, table);
  tree.insert(tree.begin(), state->pid);
  for (pid_t pid : tree) {
    for (const auto& info : table) {
      if (info.pid != pid) continue;
      ProcEntry entry{pid, info.comm, info.state == 'Z' ? std::string() : read_cmdline(pid)};
      entry.state = info.state;
      if (info.state != 'Z') read_status(entry);
      out.push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace bbx::assertions
