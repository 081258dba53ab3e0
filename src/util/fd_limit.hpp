// The runner's descriptor limit. Fakes hold one descriptor per client connection, and the
// default soft RLIMIT_NOFILE (often 1024) would refuse a subject's 5,000 connections long
// before the machine's real limit. bbx raises its soft limit to the hard one at start, and
// the processes it starts get back the soft limit bbx was started with: a daemon that uses
// select(2), or sizes a table by the limit, behaves as it would outside bbx.
#pragma once

#include <sys/resource.h>

namespace bbx::util {

// Raises the soft RLIMIT_NOFILE to the hard limit, once; later calls do nothing. Remembers
// the soft limit found. Returns the soft limit now in force (unchanged when setrlimit refuses).
rlim_t raise_fd_limit();

// Puts back the soft RLIMIT_NOFILE found by raise_fd_limit (nothing when it was not called
// or did not raise it). Async-signal-safe: called in a child between vfork and exec.
void restore_fd_limit() noexcept;

}  // namespace bbx::util
