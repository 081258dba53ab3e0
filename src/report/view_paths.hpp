// Where a scenario's views of its journal are, for the console under a failure:
//   timeline: DIR/timeline.html
//   trace:    DIR/trace.json   (open it in ui.perfetto.dev)
//   stacks:   DIR/failure/stacks.txt      (a subject hung: runner/failure_bundle.hpp)
//     app pid 5 main thread: accept < fixture::serve(...) < main < ...
// Only the files that exist are named (bbx run --trace never writes none); a trace split
// by time (views/trace_json.hpp) adds how many parts it has.
#pragma once

#include <ostream>
#include <string>

namespace bbx::report {

void print_view_paths(std::ostream& out, const std::string& scenario_dir);

}  // namespace bbx::report
