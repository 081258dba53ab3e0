#include "util/fd_limit.hpp"

namespace bbx::util {

namespace {

// Written once by raise_fd_limit (at start, before any thread or child), read by children.
bool raised = false;
rlimit inherited{};

}  // namespace

rlim_t raise_fd_limit() {
  rlimit now{};
  if (::getrlimit(RLIMIT_NOFILE, &now) != 0) return 0;
  if (raised || now.rlim_cur == now.rlim_max) return now.rlim_cur;
  rlimit up{now.rlim_max, now.rlim_max};
  if (::setrlimit(RLIMIT_NOFILE, &up) != 0) return now.rlim_cur;
  inherited = now;
  raised = true;
  return up.rlim_cur;
}

void restore_fd_limit() noexcept {
  if (raised) ::setrlimit(RLIMIT_NOFILE, &inherited);
}

}  // namespace bbx::util
