// bbx entry point: dispatches to the subcommand table (command_table.hpp) and holds the one
// top-level catch that maps errors to exit codes (2 invalid input, 3 harness error).
#include <cerrno>
#include <cstring>
#include <iostream>

#include "bbx/error.hpp"
#include "cli/command_table.hpp"
#include "cli/help.hpp"
#include "process/subreaper_shim.hpp"
#include "util/fd_limit.hpp"

namespace {

int dispatch(const std::string& program, std::vector<std::string> argv) {
  using namespace bbx::cli;
  if (argv.empty()) return std::cout << general_help(), 2;
  if (argv[0] == "--help" || argv[0] == "-h") argv[0] = "help";
  if (argv[0] == "--version") argv[0] = "version";
  const Command& c = find_command(argv[0]);
  auto args = parse_args({argv.begin() + 1, argv.end()}, c.options);
  args.program = program;
  if (args.flag("help")) return std::cout << command_help(c), 0;
  return c.handler(args);
}

}  // namespace

int main(int argc, char** argv) {
  // The per-subject supervisor shim (internal): no C++ runtime state beyond this call.
  if (argc > 1 && std::string(argv[1]) == bbx::process::kShimCommand)
    return bbx::process::run_subreaper_shim(argc - 1, argv + 1);
  // The fakes' connections count against it; what bbx starts gets the limit back (spawn.cpp).
  bbx::util::raise_fd_limit();
  try {
    int code = dispatch(argc > 0 ? argv[0] : "bbx", {argv + 1, argv + argc});
    // Output that could not be written (a full disk, /dev/full, a closed pipe) is not a success.
    if (!std::cout.flush()) {
      std::cerr << "bbx: cannot write to standard output (" << std::strerror(errno ? errno : EIO)
                << "): what it printed is incomplete\n";
      return code == 0 ? 3 : code;
    }
    return code;
  } catch (const bbx::Error& e) {
    std::cerr << (e.where().path.empty() ? "bbx: " : "") << e.formatted() << "\n";
    switch (e.kind()) {
      case bbx::ErrorKind::invalid_input: return 2;
      case bbx::ErrorKind::scenario: return 1;
      case bbx::ErrorKind::harness: return 3;
    }
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "bbx: internal error: " << e.what() << "\n";
    return 3;
  }
}
