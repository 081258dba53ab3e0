// Helpers for integration tests: run build/bbx (or any command) and capture its exit code
// and output, with a hard timeout so a hung bbx fails the test instead of hanging CI; run a
// scenario and read what it left (summary.json, its journal); select events of a journal;
// wait for a condition with a bound.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "bbx/event.hpp"

namespace bbx::testing {

using bbx::Event;

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 when it timed out
  std::string out;
  std::string err;
};

// Runs argv with cwd = source dir. Past the timeout: SIGTERM, and SIGKILL 5 s later.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::seconds timeout = std::chrono::seconds(60));
// run_command({build/bbx, args...}); on a timeout, err also holds the last events of each
// scenario journal under --runs-dir.
CommandResult run_bbx(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(60));

std::filesystem::path source_dir();
std::filesystem::path bbx_binary();
// A fresh empty directory under the build dir, named after the test.
std::filesystem::path fresh_dir(const std::string& name);
// Writes text to a file (creating parents) and returns its path.
std::filesystem::path write_file(const std::filesystem::path& path, const std::string& text);
std::string read_file(const std::filesystem::path& path);
// text with every occurrence of `from` replaced by `to`.
std::string replaced(std::string text, std::string_view from, std::string_view to);
// Does any process other than the test's ancestors run with this text in its cmdline?
bool process_running_with(const std::string& needle);
// Is any live process's environment holding BBX_TEST_MARKER=marker (forks keep it, exec'd
// or renamed children included)? Zombies do not count.
bool marked_process_alive(const std::string& marker);
// How many live processes hold BBX_TEST_MARKER=marker (zombies do not count).
std::size_t marked_processes(const std::string& marker);
// The --isolation modes this machine can run: "namespaces" (when allowed) and "none".
std::vector<std::string> isolation_modes();

// --- Scenario runs -------------------------------------------------------------------------

// What one `bbx run` left: its exit and console, how long it took, summary.json and, when it
// ran exactly one scenario, that scenario's directory and journal.
struct ScenarioRun {
  CommandResult result;
  double seconds = 0;           // wall-clock time of the bbx command
  std::filesystem::path file;   // the scenario file run
  std::filesystem::path runs;   // its --runs-dir
  nlohmann::json summary;       // runs/latest/summary.json; null when bbx wrote none (exit 2, timed out)
  std::filesystem::path dir;    // scenario_dir(runs, id); empty unless summary.json lists exactly one scenario
  std::vector<Event> events;    // dir/events.jsonl through read_journal; empty when there is none
};

// Runs `bbx run --runs-dir runs [options...] file` (runs: a fresh_dir) and reads what it
// left. Throws what read_journal throws for a corrupt or uncatalogued journal.
ScenarioRun run_scenario_file(const std::filesystem::path& file, const std::filesystem::path& runs,
                              const std::vector<std::string>& options = {});
// Writes yaml to dir/s.yaml (dir: a fresh_dir) and runs it with its runs under dir/runs.
ScenarioRun run_scenario_yaml(const std::filesystem::path& dir, const std::string& yaml,
                              const std::vector<std::string>& options = {});

// runs/latest/<the scenario id as a directory name> (runner::scenario_dir_name).
std::filesystem::path scenario_dir(const std::filesystem::path& runs, const std::string& scenario_id);
// runs/latest/summary.json, parsed; throws when it is missing or not JSON.
nlohmann::json read_summary(const std::filesystem::path& runs);

// The console text with what varies from run to run replaced: "seq N", "#N", "pid N",
// "sample K", "Tms into", "uid ID" / "owner ID" / "group ID" (with a name in parentheses).
std::string normalised(std::string console);
// Checks that r exited with exit_code and that its normalised stdout holds each block verbatim
// (a failing block is the check's message).
void check_console(const CommandResult& r, int exit_code, const std::vector<std::string>& blocks);

// --- Selecting events of a journal ---------------------------------------------------------

using EventFilter = std::function<bool(const Event&)>;

// The events of `type` (from the source named `source` when given), in journal order.
std::vector<Event> events_of(const std::vector<Event>& events, std::string_view type, std::string_view source = {});
std::size_t count_of(const std::vector<Event>& events, std::string_view type, std::string_view source = {});
// How many events of `type` `where` holds for.
std::size_t count_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where);
// The first (last) event of `type` that `where` holds for (any, without it); nullptr when none.
const Event* first_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where = {});
const Event* last_of(const std::vector<Event>& events, std::string_view type, const EventFilter& where = {});
// The first event whose body has `key` equal to `value`; nullptr when none.
const Event* first_with(const std::vector<Event>& events, std::string_view key, const nlohmann::json& value);
// body.line of each output.line event (of that subject when given), in order.
std::vector<std::string> output_lines(const std::vector<Event>& events, std::string_view subject = {});

// --- Waiting, and bbx in the background ----------------------------------------------------

// Polls pred until it holds or limit has passed; returns its last value.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds limit);
// Has the journal at path (possibly still being written) an event of this type yet?
bool journal_has(const std::filesystem::path& journal, std::string_view type);
// Starts build/bbx args... in the background with cwd = source dir (stdout to `out` when
// given) and returns its pid; reap it with wait_exit.
pid_t start_bbx(const std::vector<std::string>& args, const std::filesystem::path& out = {});
// The exit code of pid (128+N when killed by signal N), or -1 when it has not exited within
// limit: then it is SIGKILLed and reaped.
int wait_exit(pid_t pid, std::chrono::milliseconds limit);

}  // namespace bbx::testing
