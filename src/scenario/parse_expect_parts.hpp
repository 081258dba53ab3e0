// The expectation parser's parts, one function per kind. Internal to src/scenario.
#pragma once

#include "bbx/model/expectations.hpp"
#include "scenario/yaml_reader.hpp"

namespace bbx::scenario {

model::Expectation parse_log(const MapReader& m);
model::Expectation parse_listening(const MapReader& m);
model::Expectation parse_process(const MapReader& m);
model::Expectation parse_file(const MapReader& m);
model::Expectation parse_metric(const MapReader& m);
model::Expectation parse_order(const MapReader& m);
model::Expectation parse_resources(const MapReader& m);
// One event matcher (log/request/metric/exit/step/mark) and the optional `during` window.
model::EventMatch parse_event(const YAML::Node& node, const std::string& path, const std::string& what);
std::optional<model::Window> parse_window(const MapReader& m);
// `always:` / `never:` (a window, for live probes); nullopt when neither is given.
std::optional<model::SampledWindow> parse_sampled_window(const MapReader& m);
// Fails when a journal kind carries `always` / `never`, naming `during` instead.
void reject_sampled_window(const MapReader& m);
model::Expectation parse_sequence(const YAML::Node& node, const std::string& path, const std::string& what,
                                  const SourceLocation& where);
// The aggregate keys a metric expectation takes (samples, count, sum, ..., p50..p999).
const std::vector<std::string>& metric_aggregate_keys();
// "3", ">= 1", "> 0.5", "<= 10", "< 2", "1..3"; nullopt when malformed.
std::optional<model::ValueRange> parse_value_range(std::string_view text);

// A regex compiled now; a bad one fails at `where` as "<label>: invalid regex ...".
model::TextMatch checked_regex(const std::string& pattern, const SourceLocation& where, const std::string& label);
// A regex at key (compiled now: a bad one fails at its location).
model::TextMatch regex_at(const MapReader& m, std::string_view key);
// `matches: RE` or `contains: TEXT` (at most one); nullopt when neither is given.
std::optional<model::TextMatch> text_match(const MapReader& m);

}  // namespace bbx::scenario
