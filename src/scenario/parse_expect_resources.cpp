// Parsing `resources:` expectations: ranges over sizes (max_rss), durations (cpu) and
// counts (fds, threads), in the count syntax ("< 64MiB", "<= 2s", "1..8").
#include "scenario/event_windows.hpp"
#include "scenario/expect_kinds.hpp"
#include "scenario/yaml_reader.hpp"
#include "util/units.hpp"

namespace bbx::scenario {

namespace {

std::optional<std::int64_t> size_value(std::string_view text) {
  auto v = util::parse_size(text);
  if (!v || *v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

std::optional<std::int64_t> duration_value(std::string_view text) {
  auto v = util::parse_duration(text);
  if (!v) return std::nullopt;
  return v->count();
}

std::optional<model::Count> unit_range(const MapReader& m, std::string_view key, const util::ValueParser& value,
                                       const std::string& hint) {
  auto text = m.string(key);
  if (!text) return std::nullopt;
  auto r = util::parse_range(*text, value);
  if (!r) fail_input(m.where(key), m.what() + "." + std::string(key) + ": invalid range '" + *text + "' (" + hint + ")");
  return model::Count{r->min, r->max, r->not_equal, *text};
}

}  // namespace

model::Expectation parse_resources(const MapReader& m) {
  model::ResourceExpectation x;
  x.subject = m.required_string("subject");
  x.max_rss = unit_range(m, "max_rss", size_value, "use a size such as '< 64MiB', '<= 512KiB' or 1MiB..2MiB");
  x.cpu = unit_range(m, "cpu", duration_value, "use a duration such as '< 2s', '<= 500ms' or 1s..3s");
  x.fds = m.count("fds");
  x.threads = m.count("threads");
  if (!x.max_rss && !x.cpu && !x.fds && !x.threads)
    fail_input(m.where(), m.what() + ": give at least one of max_rss, cpu, fds, threads");
  return {x, std::nullopt, m.where(), parse_window(m)};
}

}  // namespace bbx::scenario
