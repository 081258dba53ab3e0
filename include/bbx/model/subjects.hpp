// Subjects: the daemons under test, started and supervised by the runner.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

// One readiness condition. `target` is, by kind: the port (tcp, udp), the regex a stdout or
// stderr line must match (log), the URL to GET (http), the path that must exist, relative
// to the sandbox (file), the /bin/sh command that must exit 0 (command).
struct ReadyCheck {
  enum class Kind { tcp, udp, log, http, file, command } kind = Kind::tcp;
  Template target;
  IntField status{200, std::nullopt, 100, 599, "ready.http.status"};  // http: the status expected
  SourceLocation where;
  // log: the regex, compiled at load when target holds no ${...} (else after expansion).
  std::optional<util::Regex> regex = std::nullopt;
};

// When a subject counts as ready: all (or, with `any`, one) of the checks hold before
// `within`. No checks: ready as soon as it is started.
struct Readiness {
  std::vector<ReadyCheck> checks;
  bool any = false;
  Duration within = std::chrono::seconds(5);
  SourceLocation where;
};

// How a subject is stopped. `group`: the stop signal goes to every process of its tree.
// `mixed` (systemd's KillMode=mixed, docker stop): to its main process only, which is
// trusted to stop its children; once the main process has exited, or the grace period ran
// out, whatever is left of the tree gets SIGKILL. Either way nothing outlives the stop.
struct StopPolicy {
  enum class Mode { group, mixed } mode = Mode::group;
  int signal = 15;  // SIGTERM
  Duration grace = std::chrono::seconds(5);
};

struct Subject {
  std::string name;
  std::vector<Template> command;             // argv; command[0] resolved against fixtures/ and PATH
  std::optional<Template> shell;             // instead of command: run by /bin/sh -c (only if asked)
  std::optional<Template> stdin_file;        // relative to the scenario file; default /dev/null
  bool tty = false;                          // stdout and stderr on pseudo-terminals, not pipes
  std::optional<int> umask;                  // e.g. 027; default: inherited
  std::map<std::string, long> rlimits;       // nofile, core, nproc, as, fsize, cpu, stack -> value (-1 unlimited)
  std::map<std::string, Template> env;       // added to a clean environment
  Readiness ready;
  StopPolicy stop;
  std::vector<std::string> after;            // subjects whose readiness this one waits for
  bool run_once = false;                     // `run: once`: meant to exit; its exit is no failure,
                                             // and stop first waits `stop.grace` for it to finish
  std::vector<Template> logs;                // files it writes (paths or globs, sandbox-relative), tailed
  Duration sample = std::chrono::milliseconds(100);  // resource sampling interval; 0 = `sample: off`
  SourceLocation where;
};

}  // namespace bbx::model
