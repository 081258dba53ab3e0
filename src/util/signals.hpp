// Signal names <-> numbers ("HUP", "SIGHUP", "1"), and the interrupt signals as a set.
#pragma once

#include <csignal>
#include <optional>
#include <string>
#include <string_view>

namespace bbx::util {

std::optional<int> signal_from_name(std::string_view name);
// "SIGTERM"; "SIG<n>" for numbers without a name.
std::string signal_name(int signal);

// {SIGINT, SIGTERM}: what interrupts a run. Runners are forked with them blocked and unblock
// them once their handler is in place (runner/runner_launch.hpp).
sigset_t interrupt_signals();

}  // namespace bbx::util
