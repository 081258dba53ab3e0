#include "assert/process_check.hpp"

#include <fstream>
#include <iterator>

#include "assert/text_match.hpp"
#include "process/proc_tree.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

constexpr std::size_t kShown = 5;

std::string entry_text(const ProcEntry& p) { return "pid " + std::to_string(p.pid) + " " + p.comm; }

std::string listing(const std::vector<const ProcEntry*>& v) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < v.size() && i < kShown; ++i) parts.push_back(entry_text(*v[i]));
  return util::join(parts, ", ") + (v.size() > kShown ? ", ..." : "");
}

std::string read_cmdline(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
  util::CountRange range{spec.count.min, spec.count.max, spec.count.not_equal};
  r.expected = range.describe();
  std::optional<Matcher> cmdline;
  if (spec.cmdline) cmdline.emplace(*spec.cmdline);
  std::vector<const ProcEntry*> hits, all;
  for (const auto& p : tree) {
    all.push_back(&p);
    if ((spec.name.empty() || p.comm == spec.name) && (!cmdline || (*cmdline)(p.cmdline))) hits.push_back(&p);
  }
  auto n = static_cast<std::int64_t>(hits.size());
  r.passed = spec.count.contains(n);
  r.actual = std::to_string(n) + (hits.empty() ? "" : ": " + listing(hits));
  if (tree.empty()) r.actual += "; subject '" + spec.subject + "' is not running";
  else if (!r.passed) r.actual += "; its tree has " + std::to_string(tree.size()) + ": " + listing(all);
  return r;
}

std::vector<ProcEntry> probe_process_tree(const process::Supervisor& supervisor, const std::string& subject) {
  std::vector<ProcEntry> out;
  const auto* state = supervisor.state(subject);
  if (!state || state->exit) return out;
  auto table = process::scan_processes();
  auto tree = process::descendants_of(state->pid, table);
  tree.insert(tree.begin(), state->pid);
  for (pid_t pid : tree) {
    for (const auto& info : table) {
      if (info.pid != pid || info.state == 'Z') continue;
      out.push_back({pid, info.comm, read_cmdline(pid)});
    }
  }
  return out;
}

}  // namespace bbx::assertions
