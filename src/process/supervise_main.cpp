// bbx-supervise: the subreaper shim as its own small binary (see subreaper_shim.hpp).
#include "process/subreaper_shim.hpp"

#if defined(__SANITIZE_ADDRESS__)
// In the ASan build only: by default ASan sets RLIMIT_CORE to 0 at startup, and the subject
// would inherit that from the shim, whatever its `rlimits: {core: ...}` asked for. The shim
// runs with the subject's clean environment, so ASAN_OPTIONS cannot say it.
extern "C" const char* __asan_default_options() { return "disable_coredump=0"; }
#endif

int main(int argc, char** argv) { return bbx::process::run_subreaper_shim(argc, argv); }
