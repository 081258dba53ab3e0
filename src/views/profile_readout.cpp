#include "views/profile_readout.hpp"

#include <fstream>
#include <iterator>

#include "views/profile_compare.hpp"

namespace bbx::views {

std::optional<std::string> ProfileReadout::poll() {
  std::ifstream in(path_, std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(static_cast<std::streamoff>(offset_));
  std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto end = chunk.rfind('\n');
  if (end == std::string::npos) return std::nullopt;
  offset_ += end + 1;
  bool fresh = false;
  for (std::size_t at = 0; at <= end;) {
    auto nl = chunk.find('\n', at);
    std::string_view text(chunk.data() + at, nl - at);
    at = nl + 1;
    auto e = journal::event_ref_of_line(text);
    if (!e) continue;
    if (start_ns_ < 0 && e->type == journal::ev::process_spawn.name()) start_ns_ = e->t_ns;
    if (e->type != journal::ev::resource_sample.name()) continue;
    prev_ = std::move(last_);
    last_ = profile_sample(*e);
    fresh = true;
  }
  if (!fresh) return std::nullopt;
  return line(prev_ ? &*prev_ : nullptr, *last_, start_ns_ < 0 ? last_->t_ns : start_ns_);
}

std::string ProfileReadout::line(const ProfileSample* prev, const ProfileSample& now, std::int64_t start_ns) {
  std::vector<ProfileSample> pair;
  if (prev) pair.push_back(*prev);
  pair.push_back(now);
  auto cpu = cpu_percent(pair).back();
  auto reads = rate_per_second(pair, &ProfileSample::read_bytes).back();
  auto writes = rate_per_second(pair, &ProfileSample::write_bytes).back();
  std::string out = format_measure(static_cast<double>(now.t_ns - start_ns) / 1e9, "s");
  out.erase(out.size() - 3, 2);  // "12.345s" -> "12.3s"
  out += "  CPU " + format_measure(cpu, "%") + "  RSS " + format_measure(static_cast<double>(now.rss_bytes), "B");
  if (reads || writes)
    out += "  I/O r " + format_measure(reads, "B/s") + " w " + format_measure(writes, "B/s");
  out += "  " + std::to_string(now.processes) + (now.processes == 1 ? " proc" : " procs");
  return out;
}

}  // namespace bbx::views
