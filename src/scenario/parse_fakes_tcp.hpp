// The generic TCP fake's options (parse_fakes_tcp.cpp). Internal to src/scenario.
#pragma once

#include "bbx/model/fakes.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

// `tcp: {framing, max_message}` options from the kind's mapping.
void parse_tcp_kind(const MapReader& kind, model::Fake& fake);
// `greeting:` and `replies:` from the fake's own mapping (they fail on fakes of other kinds).
void parse_tcp_script(const MapReader& fake_map, model::Fake& fake);

}  // namespace bbx::scenario
