// Signal names <-> numbers ("HUP", "SIGHUP", "1").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bbx::util {

std::optional<int> signal_from_name(std::string_view name);
// "SIGTERM"; "SIG<n>" for numbers without a name.
std::string signal_name(int signal);

}  // namespace bbx::util
