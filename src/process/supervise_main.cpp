// bbx-supervise: the subreaper shim as its own small binary (see subreaper_shim.hpp).
#include "process/subreaper_shim.hpp"

int main(int argc, char** argv) { return bbx::process::run_subreaper_shim(argc, argv); }
