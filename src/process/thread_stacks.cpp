#include "process/thread_stacks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <csignal>
#include <map>
#include <optional>
#include <system_error>

#include "probes/proc_table.hpp"
#include "process/spawn.hpp"
#include "util/line_splitter.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::process {

namespace {

using Clock = std::chrono::steady_clock;

bool stopped(char state) { return state == 'T' || state == 't'; }

std::string_view trim_left(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

// "#3  0x00007f... name" / "#3  0x... in name (args) at f.c:4" / "#0  name (args) at ...":
// the function name, "??" when the tool had none.
std::optional<std::string> frame_name(std::string_view line, bool gdb) {
  if (line.empty() || line.front() != '#') return std::nullopt;
  auto sp = line.find_first_of(" \t");
  if (sp == std::string_view::npos) return std::nullopt;
  auto rest = trim_left(line.substr(sp));
  if (rest.starts_with("0x")) {
    auto end = rest.find_first_of(" \t");
    rest = end == std::string_view::npos ? std::string_view{} : trim_left(rest.substr(end));
    if (gdb && rest.starts_with("in ")) rest = trim_left(rest.substr(3));
  }
  // gdb: "name (args) at file:line" or "name () from lib"; eu-stack: the rest of the line is
  // the (demangled) name, which may hold spaces ("f(Options const&)").
  auto end = gdb ? rest.find(" (") : std::string_view::npos;
  std::string name(rest.substr(0, end));
  while (!name.empty() && (name.back() == ' ' || name.back() == '\r')) name.pop_back();
  return name.empty() ? "??" : name;
}

pid_t parse_pid(std::string_view digits) {
  pid_t v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

template <typename OnLine>
void each_line(std::string_view text, OnLine on_line) {
  util::LineSplitter splitter(1 << 20);
  auto sink = [&](const util::LinePiece& p) { on_line(p.text); };
  splitter.feed(text, sink);
  splitter.finish(sink);
}

struct ToolRun {
  std::string out;
  bool timed_out = false;
  std::string error;  // could not start
};

// Runs argv[0] (looked up on PATH) with stdout and stderr into one pipe, up to `limit`;
// SIGKILLs it when it runs longer. Always reaps it.
ToolRun run_tool(const std::vector<std::string>& argv, std::chrono::milliseconds limit) {
  ToolRun run;
  auto exe = resolve_executable(argv.front(), "/");
  if (exe.empty()) {
    run.error = argv.front() + " not found";
    return run;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    run.error = "pipe: " + std::generic_category().message(errno);
    return run;
  }
  SpawnRequest req;
  req.executable = exe;
  req.args.assign(argv.begin() + 1, argv.end());
  req.cwd = "/";
  req.env = {{"PATH", "/usr/bin:/bin"}, {"LANG", "C.UTF-8"}, {"HOME", "/"}};
  req.stdout_fd = fds[1];
  req.stderr_fd = fds[1];
  pid_t pid = 0;
  try {
    pid = spawn_process(req);
  } catch (const std::exception& e) {
    ::close(fds[0]);
    ::close(fds[1]);
    run.error = e.what();
    return run;
  }
  ::close(fds[1]);
  auto deadline = Clock::now() + limit;
  char buf[16384];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      run.timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;  // timeout: the loop head decides
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (run.out.size() < (8u << 20)) run.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (run.timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return run;
}

// The tool's own complaint, for the error field: its first line that is not a stack.
std::string complaint(std::string_view out) {
  std::string found;
  each_line(out, [&](std::string_view l) {
    if (!found.empty() || l.empty() || l.front() == '#' || l.starts_with("TID ") || l.starts_with("PID ")) return;
    if (l.starts_with("Thread ") || l.starts_with("[")) return;
    found = std::string(l.substr(0, 200));
  });
  return found;
}

}  // namespace

std::vector<ThreadStack> parse_eu_stack(std::string_view text) {
  std::vector<ThreadStack> threads;
  each_line(text, [&](std::string_view l) {
    if (l.starts_with("TID ")) {
      ThreadStack t;
      t.tid = parse_pid(l.substr(4, l.find(':') - 4));
      threads.push_back(std::move(t));
    } else if (!threads.empty()) {
      if (auto f = frame_name(l, false)) threads.back().frames.push_back(std::move(*f));
    }
  });
  return threads;
}

std::vector<ThreadStack> parse_gdb_backtraces(std::string_view text) {
  std::vector<ThreadStack> threads;
  each_line(text, [&](std::string_view l) {
    if (l.starts_with("Thread ")) {
      ThreadStack t;
      if (auto lwp = l.find("(LWP "); lwp != std::string_view::npos) {
        auto num = l.substr(lwp + 5);
        t.tid = parse_pid(num.substr(0, num.find(')')));
      }
      threads.push_back(std::move(t));
    } else if (!threads.empty()) {
      if (auto f = frame_name(l, true)) threads.back().frames.push_back(std::move(*f));
    }
  });
  // gdb lists threads from the newest; eu-stack from the main thread: keep tid order.
  std::sort(threads.begin(), threads.end(), [](const auto& a, const auto& b) { return a.tid < b.tid; });
  return threads;
}

std::vector<StackGroup> group_stacks(const std::vector<ThreadStack>& threads) {
  std::map<std::vector<std::string>, std::vector<pid_t>> by_frames;
  for (const auto& t : threads) by_frames[t.frames].push_back(t.tid);
  std::vector<StackGroup> groups;
  for (auto& [frames, tids] : by_frames) {
    std::sort(tids.begin(), tids.end());
    groups.push_back({frames, tids});
  }
  std::sort(groups.begin(), groups.end(), [](const StackGroup& a, const StackGroup& b) {
    if (a.tids.size() != b.tids.size()) return a.tids.size() > b.tids.size();
    return a.tids.front() < b.tids.front();
  });
  return groups;
}

std::vector<ProcessStacks> capture_stacks(const std::vector<pid_t>& pids, std::chrono::milliseconds per_process) {
  std::vector<ProcessStacks> out;
  for (pid_t pid : pids) {
    ProcessStacks ps;
    ps.pid = pid;
    auto before = probes::read_proc_stat(pid);
    if (!before) {
      ps.error = "gone before its stacks were read";
      out.push_back(std::move(ps));
      continue;
    }
    ps.comm = before->comm;
    if (before->state == 'Z') {
      ps.error = "a zombie: exited, not reaped by its parent";
      out.push_back(std::move(ps));
      continue;
    }
    std::string pid_text = std::to_string(pid);
    struct Tool {
      const char* name;
      std::vector<std::string> argv;
      std::vector<ThreadStack> (*parse)(std::string_view);
    };
    const Tool tools[] = {
        {"eu-stack", {"eu-stack", "-p", pid_text}, &parse_eu_stack},
        {"gdb", {"gdb", "-nx", "-batch", "-p", pid_text, "-ex", "thread apply all bt"}, &parse_gdb_backtraces},
    };
    std::vector<std::string> errors;
    for (const auto& tool : tools) {
      auto start = Clock::now();
      auto run = run_tool(tool.argv, per_process);
      auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
      if (!run.error.empty()) {
        errors.push_back(run.error);
        continue;
      }
      auto threads = tool.parse(run.out);
      ps.tool = tool.name;
      ps.frozen = took;
      if (run.timed_out) errors.push_back(std::string(tool.name) + " took longer than " + util::format_duration(per_process) + ", killed");
      if (threads.empty()) {
        auto why = complaint(run.out);
        errors.push_back(std::string(tool.name) + ": " + (why.empty() ? "no stacks" : why));
        continue;  // try the next tool
      }
      ps.threads = std::move(threads);
      errors.clear();
      if (run.timed_out) errors.push_back(std::string(tool.name) + " took longer than " + util::format_duration(per_process) + ", killed");
      break;
    }
    ps.error = util::join(errors, "; ");
    // Never leave it stopped: a tool killed mid-attach can leave its SIGSTOP pending.
    if (!stopped(before->state))
      if (auto after = probes::read_proc_stat(pid); after && stopped(after->state)) ::kill(pid, SIGCONT);
    out.push_back(std::move(ps));
  }
  return out;
}

std::string format_stacks(const std::vector<ProcessStacks>& processes) {
  std::string out;
  for (const auto& p : processes) {
    out += "pid " + std::to_string(p.pid) + " (" + p.comm + ")";
    if (!p.tool.empty()) {
      out += ", " + std::to_string(p.threads.size()) + (p.threads.size() == 1 ? " thread" : " threads");
      out += ", read with " + p.tool + ", frozen " + util::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(p.frozen));
    }
    out += "\n";
    if (!p.error.empty()) out += "  (" + p.error + ")\n";
    for (const auto& g : group_stacks(p.threads)) {
      std::vector<std::string> tids;
      for (pid_t t : g.tids) tids.push_back(std::to_string(t));
      out += "  " + std::to_string(g.tids.size()) + (g.tids.size() == 1 ? " thread" : " threads") + " (tid " +
             util::join(tids, ", ") + "):\n";
      for (const auto& f : g.frames) out += "    " + f + "\n";
    }
  }
  return out;
}

}  // namespace bbx::process
