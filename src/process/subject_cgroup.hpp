// A cgroup v2 per subject instance, so the sampler reads the exact CPU (and, where the
// memory controller is delegated, the memory peak) of everything its tree ever ran
// (probes/cgroup_stats.hpp). The subreaper shim joins the cgroup before it forks the command
// (`--cgroup DIR`, process/subreaper_shim.hpp), so nothing of the tree runs outside it.
//
// Layout: <cgroup2 mount><the runner's own cgroup>/bbx-<random>/<subject>-<n>. The parent is
// made on the first request, locked (flock on its directory, held by the runner until it
// ends) and offered the cpu, memory and io controllers for its children (each best effort:
// only where the runner's own cgroup delegates them). On hybrid hosts (v1 controllers, a
// controller-less v2 hierarchy at /sys/fs/cgroup/unified) only cpu.stat is there; that is
// enough for the CPU totals.
//
// BBX_CGROUPS=off in bbx's environment turns them off (the /proc accounting alone: for tests
// of it, and for hosts where cgroups misbehave). Never fails a run: when the hierarchy is missing, read-only or not ours (an unprivileged
// user, a user namespace), make() returns nullopt once and for all, and the sampler reads
// /proc alone (accounting "proc"). Works the same with `--isolation namespaces` (the runner's
// mount namespace keeps /sys/fs/cgroup; "0" written to cgroup.procs names the writer in any
// PID namespace) and `none`.
//
// Cleanup: each cgroup is removed when the destructor runs (the subjects' trees are gone by
// then: the Supervisor kills them first). A runner that dies leaves its cgroups; the next
// runner to make its parent removes the siblings named bbx-* that no live runner locks and
// that are older than a minute (sweep_stale_cgroups), once their trees are gone.
//
// Threads: the loop thread only.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bbx::process {

class SubjectCgroups {
 public:
  SubjectCgroups() = default;
  ~SubjectCgroups();  // removes every cgroup made, then the parent (best effort)
  SubjectCgroups(const SubjectCgroups&) = delete;
  SubjectCgroups& operator=(const SubjectCgroups&) = delete;

  // A new empty cgroup for one instance of `subject`; nullopt when cgroups are unavailable.
  std::optional<std::filesystem::path> make(const std::string& subject);

 private:
  bool prepare();
  bool tried_ = false;
  int lock_fd_ = -1;
  std::filesystem::path parent_;
  std::vector<std::filesystem::path> made_;
  unsigned serial_ = 0;
};

// Removes, under parent, the bbx-* cgroups (and their children) of runners that are gone: not
// locked, older than a minute, no process left in them. Best effort, silent.
void sweep_stale_cgroups(const std::filesystem::path& parent);

}  // namespace bbx::process
