// The generic TCP fake's options (parse_fakes_tcp.cpp). Internal to src/scenario.
#pragma once

#include "bbx/model/fakes.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// `tcp: {framing, max_message}` options from the kind's mapping (its port and host are the
// caller's), then `greeting:` and `replies:` from the fake's own mapping. parse_fakes()
// refuses those two keys on other kinds. Throw bbx::Error (invalid_input) at the node.
void parse_tcp_options(const MapReader& kind, model::TcpFakeSpec& tcp);
void parse_tcp_script(const MapReader& fake_map, model::TcpFakeSpec& tcp);

}  // namespace bbx::scenario
