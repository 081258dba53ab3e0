// The expectation parser's per-kind functions (parse_expect.cpp dispatches on the kind's
// key). Internal to src/scenario. Each throws bbx::Error (invalid_input) at the node.
#pragma once

#include <string>
#include <vector>

#include "bbx/model/expectations.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

model::Expectation parse_log(const MapReader& m);         // parse_expect_probes.cpp
model::Expectation parse_listening(const MapReader& m);   // parse_expect_probes.cpp
model::Expectation parse_process(const MapReader& m);     // parse_expect_probes.cpp
model::Expectation parse_file(const MapReader& m);        // parse_expect_probes.cpp
model::Expectation parse_metric(const MapReader& m);      // parse_expect_metric.cpp
model::Expectation parse_resources(const MapReader& m);   // parse_expect_resources.cpp
model::Expectation parse_order(const MapReader& m);       // parse_expect_order.cpp
model::Expectation parse_sequence(const YAML::Node& node, const std::string& path, const std::string& what,
                                  const SourceLocation& where);
// The aggregate keys a metric expectation takes (samples, count, sum, ..., p50..p999).
const std::vector<std::string>& metric_aggregate_keys();

}  // namespace bbx::scenario
