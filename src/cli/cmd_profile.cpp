// `bbx profile [--rate HZ] [--out DIR] -- CMD ARGS...`: profiles any command as a run whose
// one subject is CMD, started by the same runner as `bbx run` (runner/runner_launch.hpp,
// runner/runner_process.hpp) with a scenario made here: the subject runs once, sampled at
// --rate, and one step waits for its exit. The profile directory is a scenario directory
// (events.jsonl, result.json, samples.csv, logs/), so `bbx timeline` and `bbx diff` read it;
// profile.csv, profile_procs.csv, profile.json and profile.html are views of its journal
// (views/profile_*). `bbx profile --compare A B...` compares stored profiles and runs.
//
// As a profiler on a server must: the command runs in the caller's directory and
// environment, on the machine's network and process table (isolation none: a network
// namespace would cut it from the real network, a PID namespace would hide the system's
// processes from it; its own subreaper still tracks its double-forked children and
// PR_SET_PDEATHSIG still ends its tree if bbx dies), with no time limit unless asked; its
// output reaches bbx's stdout/stderr as it comes (and the journal); Ctrl-C and SIGTERM are
// forwarded to its tree; its exit status is bbx's (128+N when killed by signal N).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"
#include "journal/stored_journal.hpp"
#include "runner/run_dir.hpp"
#include "runner/runner_launch.hpp"
#include "runner/runner_process.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"
#include "util/units.hpp"
#include "views/profile_compare.hpp"
#include "views/profile_csv.hpp"
#include "views/profile_html.hpp"
#include "views/profile_readout.hpp"

extern char** environ;

namespace bbx::cli {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<OptionSpec> profile_options() {
  return {
      {"rate", 0, true, "HZ", "samples per second (default 10; above 0, at most 1000)"},
      {"out", 'o', true, "DIR", "write the profile into DIR (created; must not hold a journal yet); default: a new run directory under --runs-dir; with --compare: where compare.html goes"},
      {"runs-dir", 0, true, "DIR", "where runs are (default sandbox/runs): the default --out, and run ids given to --compare"},
      {"timeout", 0, true, "DURATION", "stop the command (SIGTERM, SIGKILL 2s later) after DURATION (default: no limit)"},
      {"compare", 0, false, "", "compare stored profiles, runs or scenario directories (PATH...) instead of running a command"},
      {"help", 'h', false, "", "show this help"},
  };
}

double parse_rate(const std::optional<std::string>& text) {
  if (!text) return 10;
  char* end = nullptr;
  double v = std::strtod(text->c_str(), &end);
  if (text->empty() || *end != '\0' || !std::isfinite(v) || v <= 0 || v > 1000)
    fail_input({}, "--rate: expected samples per second, a number above 0 and at most 1000 (10, 0.5), got '" + *text + "'");
  return v;
}

// ${ in a value of the caller's is text, not a scenario variable: written as $${.
std::string literal(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out += '$';
    out += text[i];
  }
  return out;
}

model::Template templ(const std::string& text) { return model::Template{literal(text), {}, false}; }

// CMD as a shell finds it: a path with '/' from the current directory, else the first
// executable of that name on PATH. Empty when there is none; `denied` set when there is a
// file of that name that may not be executed (a shell's 126, not 127).
fs::path find_command(const std::string& name, bool& denied) {
  auto check = [&](const fs::path& p) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return false;
    if (::access(p.c_str(), X_OK) == 0) return true;
    denied = true;
    return false;
  };
  denied = false;
  if (name.find('/') != std::string::npos) return check(name) ? fs::absolute(name) : fs::path();
  const char* path = std::getenv("PATH");
  for (const auto& dir : util::split(path ? path : "/usr/bin:/bin", ':'))
    if (auto p = fs::path(dir.empty() ? "." : dir) / name; check(p)) return fs::absolute(p);
  return {};
}

std::string subject_name(const std::string& argv0) {
  std::string name;
  for (char c : fs::path(argv0).filename().string())
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') ? c : '_';
  return name.empty() || name == "." || name == ".." ? "command" : name;
}

// The scenario of a profile: CMD as its one subject, run once, and a wait for its exit.
Scenario profile_scenario(const std::vector<std::string>& argv, const fs::path& exe, double rate,
                          std::optional<model::Duration> timeout) {
  const auto cwd = fs::current_path();
  model::Subject s;
  s.name = subject_name(argv[0]);
  s.command.push_back(templ(exe.string()));
  for (std::size_t i = 1; i < argv.size(); ++i) s.command.push_back(templ(argv[i]));
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq != std::string::npos && eq > 0) s.env[kv.substr(0, eq)] = templ(kv.substr(eq + 1));
  }
  // A pipe or a file on stdin is the command's; a terminal is not (the command is not in the
  // terminal's foreground process group: reading it would stop the command).
  if (::fcntl(STDIN_FILENO, F_GETFD) != -1 && !::isatty(STDIN_FILENO)) s.stdin_file = templ("/dev/stdin");
  s.run_once = true;
  // What the command leaves running when it exits gets this long to end, then SIGTERM, and
  // SIGKILL as long again after (as after --timeout).
  s.stop.grace = std::chrono::seconds(2);
  s.sample = std::chrono::duration_cast<model::Duration>(std::chrono::duration<double>(1.0 / rate));
  const model::Duration forever = std::chrono::hours(24 * 365 * 10);
  model::WaitStep wait;
  wait.kind = model::WaitStep::Kind::exit;
  wait.target = model::Template{s.name, {}, false};
  wait.subject = s.name;
  wait.timeout = timeout.value_or(forever);
  Scenario sc;
  sc.name = "profile " + s.name;
  sc.id = sc.name;
  sc.file = cwd / "bbx-profile";  // no file: relative paths resolve from the current directory
  sc.steps.push_back({"wait for " + s.name + " to exit", wait, {}});
  sc.timeout = timeout ? *timeout + std::chrono::seconds(10) : forever;
  sc.subjects.push_back(std::move(s));
  return sc;
}

// The live readout on the terminal's bottom line, below a scroll region that the command's
// output scrolls in (as apt's progress line does), so neither overwrites the other. Each
// update is one write(): whole, between the command's own writes.
class BottomLine {
 public:
  BottomLine() {
    winsize ws{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row < 3) return;
    rows_ = ws.ws_row;
    put("\n\0337\033[1;" + std::to_string(rows_ - 1) + "r\0338\033[1A");
  }
  ~BottomLine() {
    if (rows_) put("\0337\033[r\033[" + std::to_string(rows_) + ";1H\033[K\0338");
  }
  void show(const std::string& text) {
    if (rows_) put("\0337\033[" + std::to_string(rows_) + ";1H\033[K\033[7m bbx profile \033[0m " + text + "\0338");
  }

 private:
  static void put(const std::string& s) { [[maybe_unused]] auto n = ::write(STDERR_FILENO, s.data(), s.size()); }
  int rows_ = 0;
};

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) fail_harness("cannot write " + path.string());
}

// The profile's views, written from its journal: profile.csv, profile_procs.csv (when the
// samples have per-process detail), profile.json, profile.html.
std::optional<views::SubjectProfile> write_views(const fs::path& dir) {
  journal::StoredJournal j(dir / "events.jsonl");
  auto profiles = views::read_profiles(j);
  if (profiles.empty()) return std::nullopt;
  const auto& p = profiles.front();
  write_text(dir / "profile.csv", views::profile_csv(p));
  bool procs = false;
  for (const auto& s : p.samples) procs = procs || !s.procs.empty();
  if (procs) write_text(dir / "profile_procs.csv", views::profile_procs_csv(p));
  write_text(dir / "profile.json", views::summary_json(views::summarize(p)).dump(2) + "\n");
  std::vector<views::CompareInput> inputs{{"value", dir.string(), {p}}};  // one input: its table has one column
  auto matched = views::match_subjects(inputs);
  write_text(dir / "profile.html", views::profile_html("bbx profile: " + p.subject, inputs, matched));
  return p;
}

int profile(const ParsedArgs& args) {
  const auto& argv = args.positional;
  if (argv.empty()) fail_input({}, "no command: give one after --: bbx profile [--rate HZ] [--out DIR] -- CMD ARGS...");
  double rate = parse_rate(args.value("rate"));
  std::optional<model::Duration> timeout;
  if (auto t = args.value("timeout")) {
    auto d = util::parse_duration(*t);
    if (!d || d->count() <= 0) fail_input({}, "--timeout: expected a duration (30s, 5m, 1h), got '" + *t + "'");
    timeout = std::chrono::duration_cast<model::Duration>(*d);
  }
  bool denied = false;
  auto exe = find_command(argv[0], denied);
  if (exe.empty()) {  // as a shell says it
    std::cerr << "bbx profile: " << argv[0] << (denied ? ": permission denied\n" : ": command not found\n");
    return denied ? 126 : 127;
  }
  auto scenario = profile_scenario(argv, exe, rate, timeout);
  const fs::path runs_dir = args.value("runs-dir").value_or("sandbox/runs");
  fs::path dir;
  if (auto out = args.value("out")) {
    dir = *out;
    if (fs::exists(dir / "events.jsonl"))
      fail_input({}, "--out " + *out + ": already holds a journal (events.jsonl); give a new directory");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) fail_input({}, "--out " + *out + ": cannot create it: " + ec.message());
  } else {
    std::string run_id;
    dir = runner::create_run_dir(runs_dir, run_id) / runner::scenario_dir_name(scenario.subjects.front().name);
    fs::create_directories(dir);
  }

  runner::RunnerOptions ro;
  ro.scenario_dir = dir;
  ro.trace = views::TracePolicy::never;
  ro.workdir = fs::current_path();
  ro.driver.echo_output = true;
  ro.driver.forward_interrupts = true;
  std::cout.flush();
  int runner_status = 0;
  {
    runner::RunnerLauncher launcher;
    auto r = launcher.prepare(0, runner::IsolationMode::none, [&](const std::string& mode) {
      ro.isolation = mode;
      return runner::run_scenario_process(scenario, ro);
    });
    if (r.pid < 0) fail_harness("cannot fork a runner process");
    launcher.start(r);
    const char* ci = std::getenv("CI");
    bool live = ::isatty(STDERR_FILENO) && !(ci && *ci && std::string(ci) != "false" && std::string(ci) != "0");
    std::optional<BottomLine> bottom;
    if (live) bottom.emplace();
    views::ProfileReadout readout(dir / "events.jsonl");
    for (bool reaped = false; !reaped;) {
      auto events = launcher.wait(Clock::now() + std::chrono::milliseconds(live ? 200 : 1000));
      for (const auto& x : events.reaped) {
        reaped = reaped || x.pid == r.pid;
        if (x.pid == r.pid) runner_status = x.status;
      }
      launcher.continued();
      if (bottom)
        if (auto text = readout.poll()) bottom->show(*text);
    }
  }
  if (runner_status != 0 && !fs::exists(runner::result_file(dir))) {
    std::cerr << "bbx profile: the runner failed (" << dir.string() << "/events.jsonl has what it saw)\n";
    return 3;
  }
  auto p = write_views(dir);
  const views::ProfileExit* exit = p && p->exit ? &*p->exit : nullptr;
  if (!exit) {  // it never ran: the result says why
    std::string why;
    try {
      std::ifstream in(runner::result_file(dir));
      why = nlohmann::json::parse(in).value("message", "");
    } catch (const std::exception&) {
    }
    std::cerr << "bbx profile: " << (why.empty() ? "the command did not run" : why) << "\n"
              << "bbx profile: " << dir.string() << "\n";
    return 3;
  }
  auto s = views::summarize(*p);
  std::cerr << "bbx profile: " << p->subject << " " << exit->describe << " after "
            << views::format_measure(s.duration_s, "s") << "; CPU " << views::format_measure(s.cpu_s, "s") << " (max "
            << views::format_measure(s.cpu_pct.max, "%") << "), memory peak " << views::format_measure(s.memory_peak(), "B")
            << ", " << s.samples << " samples\n"
            << "bbx profile: " << dir.string() << " (profile.html, profile.json, profile.csv)\n";
  return exit->shell_status();
}

int compare(const ParsedArgs& args) {
  const auto& paths = args.positional;
  if (paths.size() < 2) fail_input({}, "--compare: give at least two profiles, runs or scenario directories to compare");
  if (paths.size() > 26) fail_input({}, "--compare: at most 26 inputs (A to Z)");
  if (args.value("rate") || args.value("timeout")) fail_input({}, "--compare reads stored journals: --rate and --timeout do not apply");
  const fs::path runs_dir = args.value("runs-dir").value_or("sandbox/runs");
  std::vector<views::CompareInput> inputs;
  for (std::size_t i = 0; i < paths.size(); ++i)
    inputs.push_back(views::load_compare_input(std::string(1, char('A' + i)), paths[i], runs_dir));
  auto matched = views::match_subjects(inputs);
  for (const auto& in : inputs) std::cout << in.label << ": " << in.path << "\n";
  for (const auto& m : matched) std::cout << "\n" << views::compare_text(m, inputs);
  fs::path out;
  if (auto o = args.value("out")) {
    out = *o;
  } else {
    out = runs_dir / ("compare-" + util::run_id_from(util::realtime_ns()));
  }
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) fail_input({}, "--out " + out.string() + ": cannot create it: " + ec.message());
  write_text(out / "compare.html", views::profile_html("bbx profile --compare", inputs, matched));
  std::cout << "\npage: " << (out / "compare.html").string() << "\n";
  return 0;
}

int handle(const ParsedArgs& args) {
  try {
    return args.flag("compare") ? compare(args) : profile(args);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::invalid_input) throw;
    std::cerr << "bbx profile: " << e.formatted() << "\n";
    return 2;
  }
}

}  // namespace

Command cmd_profile() {
  return {"profile", "profile a command's CPU, memory, I/O, fds and threads; compare profiles",
          "bbx profile [--rate HZ] [--out DIR] [--timeout DURATION] -- CMD ARGS...\n"
          "       bbx profile --compare [--out DIR] A B...",
          "Runs CMD in the current directory and environment, on the machine's network, sampling its\n"
          "whole process tree (children and daemonized grandchildren included) --rate times a\n"
          "second, and writes into the profile directory: events.jsonl (the journal: bbx timeline\n"
          "and bbx diff read it), profile.csv (one row per sample), profile_procs.csv (per process),\n"
          "profile.json (maxima, averages, totals, top processes) and profile.html (plots, offline).\n"
          "CMD's output reaches stdout/stderr as it comes; Ctrl-C and SIGTERM are sent on to it; bbx\n"
          "exits with CMD's status (128+N when killed by signal N; 127 when CMD is not found, 126\n"
          "when it may not be executed). On a terminal the bottom line shows elapsed time, CPU,\n"
          "RSS, I/O and processes live. Processes CMD leaves running get 2s, then SIGTERM.\n"
          "\n"
          "--compare reads profile directories, run directories (or run ids) and scenario\n"
          "directories, prints for each subject they share its peaks and totals side by side with\n"
          "the differences from A, and writes compare.html with their plots overlaid.\n"
          "Invalid input (no command, a bad --rate, an unreadable input) exits 2. docs/profiling.md.\n",
          profile_options(), handle};
}

}  // namespace bbx::cli
