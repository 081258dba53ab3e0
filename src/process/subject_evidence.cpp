#include "process/subject_evidence.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "probes/listening_sockets.hpp"
#include "probes/open_files.hpp"
#include "util/byte_preview.hpp"
#include "util/file_tail.hpp"
#include "util/text.hpp"

namespace bbx::process {

namespace {

constexpr std::size_t kTailLines = 5;

// path relative to the sandbox when inside it.
std::string shown_path(const std::filesystem::path& path, const std::filesystem::path& sandbox) {
  auto rel = path.lexically_relative(sandbox);
  if (!rel.empty() && *rel.begin() != "..") return rel.string();
  return path.string();
}

std::string quote_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n    | " + l;
  return out;
}

}  // namespace

std::string output_evidence(const SubjectState& s, bool waited_for_output) {
  if (!s.last_lines.empty()) {
    std::string out = "; last output:";
    for (const auto& l : s.last_lines) out += "\n    | " + l;
    return out;
  }
  if (waited_for_output && !s.tty)
    return "; it printed nothing on stdout or stderr, which are pipes: a runtime that buffers output to a pipe "
           "(Python, C stdio, ...) prints nothing until its buffer fills or it exits; give the subject `tty: true` "
           "(or make it unbuffered, e.g. PYTHONUNBUFFERED=1)";
  return "; it printed nothing";
}

std::string log_evidence(runtime::RunContext& ctx, const Supervisor& supervisor, const SubjectState& s) {
  std::string out;
  // `logs:` files: their last lines as journaled.
  std::map<std::string, std::vector<std::string>> declared;
  std::map<std::string, std::uint64_t> counts;
  ctx.journal().for_each_of({journal::ev::log_line}, 1, [&](const Event& e) {
    if (e.source.kind != "subject" || e.source.name != s.name) return true;
    auto path = e.body.value("path", std::string());
    auto& lines = declared[path];
    lines.push_back(e.body.value("line", std::string()));
    if (lines.size() > kTailLines) lines.erase(lines.begin());
    ++counts[path];
    return true;
  });
  std::set<std::string> shown;
  for (const auto& [path, lines] : declared) {
    out += "\n    log file '" + path + "' (" + std::to_string(counts[path]) + " line" + (counts[path] == 1 ? "" : "s") +
           ") ends:" + quote_lines(lines);
    shown.insert(path);
  }
  // Files its tree writes: as they are on disk now.
  std::vector<std::string> written = s.written_files;
  for (const auto& f : probes::files_open_for_writing(supervisor.tree_of(s.name)))
    if (std::find(written.begin(), written.end(), f) == written.end()) written.push_back(f);
  for (const auto& file : written) {
    auto name = shown_path(file, ctx.sandbox_dir());
    if (shown.count(name) || shown.count(file)) continue;
    shown.insert(name);
    auto tail = util::tail_of_file(file, kTailLines);
    if (!tail.readable) continue;
    out += "\n    file it writes '" + name + "' (" + util::grouped(tail.size) + " bytes)" +
           (tail.lines.empty() ? " is empty" : std::string(tail.more ? " ends:" : ":")) + quote_lines(tail.lines);
  }
  return out;
}

std::string core_evidence(const SubjectState& s, const std::filesystem::path& sandbox) {
  if (!s.exit || !s.exit->core_dumped) return "";
  std::string pattern;
  std::getline(std::ifstream("/proc/sys/kernel/core_pattern"), pattern);
  if (!pattern.empty() && pattern[0] == '|') {
    auto handler = pattern.substr(1, pattern.find(' ') == std::string::npos ? std::string::npos : pattern.find(' ') - 1);
    return "\n    core: handed to " + handler + " (kernel.core_pattern pipes cores to it; e.g. coredumpctl lists them)";
  }
  // A plain pattern: relative to the process's working directory (the sandbox, unless it
  // moved). Its fixed prefix names the file; %p and friends vary.
  auto prefix = pattern.substr(0, pattern.find('%'));
  std::filesystem::path dir = sandbox, stem = prefix;
  if (!prefix.empty() && prefix[0] == '/') {
    dir = std::filesystem::path(prefix).parent_path();
    stem = std::filesystem::path(prefix).filename();
  }
  std::error_code ec;
  std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (!stem.empty() && name.rfind(stem.string(), 0) != 0) continue;
    if (!entry.is_regular_file(ec)) continue;
    found.emplace_back(entry.last_write_time(ec), entry.path());
  }
  if (found.empty())
    return "\n    core: not found in " + dir.string() + " (kernel.core_pattern is '" + pattern + "')";
  auto newest = std::max_element(found.begin(), found.end())->second;
  return "\n    core file: " + shown_path(newest, sandbox) + " (" +
         util::grouped(static_cast<std::size_t>(std::filesystem::file_size(newest, ec))) + " bytes" +
         (dir == sandbox ? ", in the sandbox)" : ")");
}

std::string listening_evidence(const Supervisor& supervisor, const std::string& subject) {
  auto tree = supervisor.tree_of(subject);
  if (tree.empty()) return "";
  std::set<std::uint64_t> inodes;
  for (pid_t pid : tree)
    for (auto inode : probes::socket_inodes_of_pid(pid)) inodes.insert(inode);
  std::vector<std::string> found;
  for (auto proto : {probes::Proto::tcp, probes::Proto::udp}) {
    std::vector<probes::ListeningSocket> sockets;
    try {
      probes::ListeningSocketProbe probe;
      probe.dump(proto, sockets);
    } catch (const std::exception&) {
      try {
        sockets = probes::read_proc_net(proto);
      } catch (const std::exception&) {
        continue;
      }
    }
    for (const auto& sock : sockets)
      if (inodes.count(sock.inode)) found.push_back(probes::describe(sock));
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.empty()) return "; it listens on no port";
  return "; it listens on " + util::join(found, ", ");
}

}  // namespace bbx::process
