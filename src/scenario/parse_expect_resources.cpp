// Parsing `resources:` expectations: ranges over sizes (max_rss, max_pss, read_bytes,
// write_bytes), durations (cpu), percentages (cpu_percent, in hundredths) and counts (fds,
// threads, ctx_switches), in the count syntax ("< 64MiB", "<= 2s", "< 50", "1..8").
#include <cctype>

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

// A percentage with up to two decimals ("50", "12.5", "80%"), in hundredths.
std::optional<std::int64_t> percent_value(std::string_view text) {
  if (text.ends_with('%')) text.remove_suffix(1);
  while (text.ends_with(' ')) text.remove_suffix(1);
  std::int64_t whole = 0, hundredths = 0;
  std::size_t i = 0;
  if (text.empty() || text.size() > 12) return std::nullopt;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) whole = whole * 10 + (text[i] - '0');
  if (i == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != '.' || i + 1 == text.size() || text.size() - i - 1 > 2) return std::nullopt;
    int scale = 10;
    for (++i; i < text.size(); ++i, scale /= 10) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
      hundredths += (text[i] - '0') * scale;
    }
  }
  return whole * 100 + hundredths;
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
  const std::string sizes = "use a size such as '< 64MiB', '<= 512KiB' or 1MiB..2MiB";
  x.max_pss = unit_range(m, "max_pss", size_value, sizes);
  x.read_bytes = unit_range(m, "read_bytes", size_value, sizes);
  x.write_bytes = unit_range(m, "write_bytes", size_value, sizes);
  x.ctx_switches = m.count("ctx_switches");
  x.cpu_percent = unit_range(m, "cpu_percent", percent_value,
                             "use a percentage of one core such as '< 50', '<= 12.5%' or 80..120");
  if (!x.max_rss && !x.cpu && !x.fds && !x.threads && !x.max_pss && !x.read_bytes && !x.write_bytes &&
      !x.ctx_switches && !x.cpu_percent)
    fail_input(m.where(), m.what() + ": give at least one of max_rss, cpu, fds, threads, max_pss, read_bytes, "
                                     "write_bytes, ctx_switches, cpu_percent");
  return {x, std::nullopt, m.where(), parse_window(m)};
}

}  // namespace bbx::scenario
