#include "harness.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <doctest/doctest.h>

#include "read_journal.hpp"
#include "runner/isolation.hpp"
#include "runner/run_dir.hpp"

namespace bbx::testing {

std::filesystem::path source_dir() { return BBX_SOURCE_DIR; }
std::filesystem::path bbx_binary() { return std::filesystem::path(BBX_BINARY_DIR) / "bbx"; }

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = std::filesystem::path(BBX_BINARY_DIR) / "test-tmp" / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
  return path;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

namespace {

// A command past its timeout gets SIGTERM first, so a hung bbx still writes its partial
// results and says what it was waiting for (the test's output shows it), then SIGKILL.
void stop_after_timeout(pid_t pid) {
  ::kill(pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000; ++i) {  // up to 5 s
    if (::waitpid(pid, &status, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
}

// What a timed-out `bbx run --runs-dir D` journaled last: the tail of each scenario's
// events.jsonl under D/latest, to tell from a CI log where it hung.
std::string journal_tails(const std::vector<std::string>& args) {
  std::string out = "\n(bbx timed out)\n";
  auto flag = std::find(args.begin(), args.end(), "--runs-dir");
  if (flag == args.end() || std::next(flag) == args.end()) return out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(*std::next(flag)) / "latest", ec)) {
    auto journal = entry.path() / "events.jsonl";
    if (!std::filesystem::exists(journal)) continue;
    std::vector<std::string> lines;
    std::ifstream in(journal);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    out += "last events of " + journal.string() + ":\n";
    for (auto i = lines.size() > 20 ? lines.size() - 20 : 0; i < lines.size(); ++i) out += lines[i] + "\n";
  }
  return out;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  char out_name[] = "/tmp/bbx-test-out-XXXXXX";
  char err_name[] = "/tmp/bbx-test-err-XXXXXX";
  int out_fd = ::mkstemp(out_name), err_fd = ::mkstemp(err_name);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, 0);
    if (::chdir(source_dir().c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  CommandResult r;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop_after_timeout(pid);
      r.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::close(out_fd);
  ::close(err_fd);
  r.out = read_file(out_name);
  r.err = read_file(err_name);
  ::unlink(out_name);
  ::unlink(err_name);
  return r;
}

CommandResult run_bbx(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  std::vector<std::string> argv{bbx_binary().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_command(argv, timeout);
  if (r.exit_code == -1) r.err += journal_tails(args);
  return r;
}

bool process_running_with(const std::string& needle) {
  DIR* dir = ::opendir("/proc");
  bool found = false;
  while (dirent* e = dir ? ::readdir(dir) : nullptr) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::string cmdline = read_file(std::string("/proc/") + e->d_name + "/cmdline");
    for (auto& c : cmdline)
      if (c == '\0') c = ' ';
    std::ifstream st(std::string("/proc/") + e->d_name + "/stat");
    std::string stat;
    std::getline(st, stat);
    bool zombie = stat.find(") Z ") != std::string::npos;
    if (!zombie && cmdline.find(needle) != std::string::npos) found = true;
  }
  if (dir) ::closedir(dir);
  return found;
}

std::size_t marked_processes(const std::string& marker) {
  std::string needle = "BBX_TEST_MARKER=" + marker;
  DIR* dir = ::opendir("/proc");
  std::size_t found = 0;
  while (dirent* e = dir ? ::readdir(dir) : nullptr) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    if (stat.find(") Z ") != std::string::npos) continue;
    std::string env = read_file(std::string("/proc/") + e->d_name + "/environ");
    for (auto& c : env)
      if (c == '\0') c = '\n';
    if ((env + "\n").find(needle + "\n") != std::string::npos) ++found;
  }
  if (dir) ::closedir(dir);
  return found;
}

bool marked_process_alive(const std::string& marker) { return marked_processes(marker) > 0; }

std::vector<std::string> isolation_modes() {
  std::vector<std::string> modes{"none"};
  if (bbx::runner::namespaces_available()) modes.insert(modes.begin(), "namespaces");
  return modes;
}

ScenarioRun run_scenario_file(const std::filesystem::path& file, const std::filesystem::path& runs,
                              const std::vector<std::string>& options) {
  std::vector<std::string> args{"run", "--runs-dir", runs.string()};
  args.insert(args.end(), options.begin(), options.end());
  args.push_back(file.string());
  ScenarioRun run;
  run.file = file;
  run.runs = runs;
  auto begun = std::chrono::steady_clock::now();
  run.result = run_bbx(args);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
  if (!std::filesystem::exists(runs / "latest" / "summary.json")) return run;
  run.summary = read_summary(runs);
  if (run.summary.at("scenarios").size() != 1) return run;
  run.dir = scenario_dir(runs, run.summary["scenarios"][0].at("id").get<std::string>());
  if (std::filesystem::exists(run.dir / "events.jsonl")) run.events = read_journal(run.dir / "events.jsonl").events;
  return run;
}

ScenarioRun run_scenario_yaml(const std::filesystem::path& dir, const std::string& yaml,
                              const std::vector<std::string>& options) {
  return run_scenario_file(write_file(dir / "s.yaml", yaml), dir / "runs", options);
}

std::filesystem::path scenario_dir(const std::filesystem::path& runs, const std::string& scenario_id) {
  return runs / "latest" / bbx::runner::scenario_dir_name(scenario_id);
}

nlohmann::json read_summary(const std::filesystem::path& runs) {
  return nlohmann::json::parse(read_file(runs / "latest" / "summary.json"));
}

std::string normalised(std::string console) {
  static const std::vector<std::pair<std::regex, const char*>> varying{
      {std::regex("seq [0-9]+"), "seq N"},
      {std::regex("#[0-9]+"), "#N"},
      {std::regex("pid [0-9]+"), "pid N"},
      {std::regex("sample [0-9]+"), "sample K"},
      {std::regex("[0-9]+ms into"), "Tms into"},
      {std::regex("(uid|owner|group) [0-9]+( \\([^)]*\\))?"), "$1 ID"}};
  for (const auto& [re, with] : varying) console = std::regex_replace(console, re, with);
  return console;
}

void check_console(const CommandResult& r, int exit_code, const std::vector<std::string>& blocks) {
  auto out = normalised(r.out);
  INFO(r.out, r.err);
  CHECK(r.exit_code == exit_code);
  for (const auto& b : blocks) CHECK_MESSAGE(out.find(b) != std::string::npos, b);
}

std::vector<Event> events_of(const std::vector<Event>& events, std::string_view type, std::string_view source) {
  std::vector<Event> out;
  for (const auto& e : events)
    if (e.type == type && (source.empty() || e.source.name == source)) out.push_back(e);
  return out;
}

std::size_t count_of(const std::vector<Event>& events, std::string_view type, std::string_view source) {
  return events_of(events, type, source).size();
}

std::size_t count_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where) {
  std::size_t n = 0;
  for (const auto& e : events) n += e.type == type && where(e);
  return n;
}

const Event* first_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where) {
  for (const auto& e : events)
    if (e.type == type && (!where || where(e))) return &e;
  return nullptr;
}

const Event* last_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where) {
  for (auto e = events.rbegin(); e != events.rend(); ++e)
    if (e->type == type && (!where || where(*e))) return &*e;
  return nullptr;
}

const Event* first_with(const std::vector<Event>& events, std::string_view key, const nlohmann::json& value) {
  for (const auto& e : events)
    if (auto field = e.body.find(std::string(key)); field != e.body.end() && *field == value) return &e;
  return nullptr;
}

std::vector<std::string> output_lines(const std::vector<Event>& events, std::string_view subject) {
  std::vector<std::string> lines;
  for (const auto& e : events_of(events, "output.line", subject)) lines.push_back(e.body.at("line"));
  return lines;
}

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

bool journal_has(const std::filesystem::path& journal, std::string_view type) {
  std::string quoted(1, '"');  // the type as a JSON string, as events.jsonl holds it
  quoted.append(type).push_back('"');
  return read_file(journal).find(quoted) != std::string::npos;
}

pid_t start_bbx(const std::vector<std::string>& args, const std::filesystem::path& out) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(source_dir().c_str()) != 0) ::_exit(126);
    if (!out.empty()) ::dup2(::creat(out.c_str(), 0644), 1);
    std::vector<std::string> argv{bbx_binary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (auto& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);
    ::execv(c_argv[0], c_argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid, std::chrono::milliseconds limit) {
  int status = 0;
  if (!wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, limit)) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace bbx::testing
