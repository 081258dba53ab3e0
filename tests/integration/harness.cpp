#include "harness.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>

#include "runner/isolation.hpp"

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

bool marked_process_alive(const std::string& marker) {
  std::string needle = "BBX_TEST_MARKER=" + marker;
  DIR* dir = ::opendir("/proc");
  bool found = false;
  while (dirent* e = dir ? ::readdir(dir) : nullptr) {
    if (!std::isdigit(static_cast<unsigned char>(e->d_name[0]))) continue;
    std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
    if (stat.find(") Z ") != std::string::npos) continue;
    std::string env = read_file(std::string("/proc/") + e->d_name + "/environ");
    for (auto& c : env)
      if (c == '\0') c = '\n';
    if ((env + "\n").find(needle + "\n") != std::string::npos) found = true;
  }
  if (dir) ::closedir(dir);
  return found;
}

std::vector<std::string> isolation_modes() {
  std::vector<std::string> modes{"none"};
  if (bbx::runner::namespaces_available()) modes.insert(modes.begin(), "namespaces");
  return modes;
}

}  // namespace bbx::testing
