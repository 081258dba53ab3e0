#include "runtime/child_exits.hpp"

namespace bbx::runtime {

void ChildExits::expect(pid_t pid) {
  std::lock_guard lock(mutex_);
  expected_[pid].reset();
}

bool ChildExits::keep(const siginfo_t& info) {
  std::lock_guard lock(mutex_);
  auto it = expected_.find(info.si_pid);
  if (it == expected_.end()) return false;
  it->second = info;
  return true;
}

std::optional<siginfo_t> ChildExits::reaped(pid_t pid) const {
  std::lock_guard lock(mutex_);
  auto it = expected_.find(pid);
  return it == expected_.end() ? std::nullopt : it->second;
}

void ChildExits::forget(pid_t pid) {
  std::lock_guard lock(mutex_);
  expected_.erase(pid);
}

}  // namespace bbx::runtime
