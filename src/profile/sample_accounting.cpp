#include "profile/sample_accounting.hpp"

#include <algorithm>
#include <concepts>

#include "util/json_text.hpp"

namespace bbx::profile {

namespace {

// `,"key":` then the integer.
template <std::size_t N, std::integral T>
void field(util::TextBuffer& out, const char (&key)[N], T v) {
  out.push_back(',');
  out.push_back('"');
  out.append(key, N - 1);
  out.literal("\":");
  if constexpr (std::signed_integral<T>)
    util::append_json_number(out, std::int64_t{v});
  else
    util::append_json_number(out, std::uint64_t{v});
}

class SampleBody final : public journal::DeferredBody {
 public:
  explicit SampleBody(Sample s) : s_(std::move(s)) {}
  nlohmann::json tree() const override {
    util::TextBuffer text;
    append_text(text);
    return nlohmann::json::parse(text.view());
  }
  void append_text(util::TextBuffer& out) const override { append_sample_text(s_, out); }

 private:
  Sample s_;
};

}  // namespace

void append_sample_text(const Sample& s, util::TextBuffer& out) {
  out.literal("{\"accounting\":");
  if (s.cgroup) out.literal("\"cgroup\"");
  else out.literal("\"proc\"");
  field(out, "rss_bytes", s.rss_bytes);
  field(out, "rss_peak_bytes", s.rss_peak_bytes);
  if (s.pss_bytes) field(out, "pss_bytes", *s.pss_bytes);
  field(out, "cpu_ms", s.cpu_ms);
  field(out, "cpu_user_ms", s.cpu_user_ms);
  field(out, "cpu_system_ms", s.cpu_system_ms);
  field(out, "fds", s.fds);
  field(out, "threads", s.threads);
  field(out, "processes", s.processes);
  field(out, "read_bytes", s.read_bytes);
  field(out, "write_bytes", s.write_bytes);
  field(out, "ctx_voluntary", s.ctx_voluntary);
  field(out, "ctx_involuntary", s.ctx_involuntary);
  if (s.exit) out.literal(",\"exit\":true");
  out.literal(",\"procs\":[");
  bool first = true;
  for (const auto& p : s.procs) {
    if (!first) out.push_back(',');
    out.literal("{\"pid\":");
    first = false;
    util::append_json_number(out, std::int64_t{p.pid});
    field(out, "ppid", p.ppid);
    out.literal(",\"comm\":");
    util::append_json_string(out, p.comm);
    field(out, "cpu_ms", p.cpu_ms);
    field(out, "rss_bytes", p.rss_bytes);
    field(out, "threads", p.threads);
    if (p.read_bytes) field(out, "read_bytes", *p.read_bytes);
    if (p.write_bytes) field(out, "write_bytes", *p.write_bytes);
    out.push_back('}');
  }
  out.literal("]}");
}

std::shared_ptr<const journal::DeferredBody> sample_body(Sample s) { return std::make_shared<SampleBody>(std::move(s)); }

Sample SampleAccount::next(probes::TreeUsage&& tree, const std::optional<probes::CgroupStats>& cgroup,
                           std::optional<std::uint64_t> pss_bytes) {
  Sample s;
  s.rss_bytes = tree.rss_bytes;
  s.fds = tree.fds_read ? tree.fds : last_.fds;
  s.threads = tree.threads;
  s.processes = tree.processes;
  s.pss_bytes = pss_bytes;
  std::uint64_t user = tree.cpu_user_ms, system = tree.cpu_system_ms;
  if (cgroup && cgroup->cpu) {
    s.cgroup = true;
    user = cgroup->cpu->user_usec / 1000;
    system = cgroup->cpu->system_usec / 1000;
  }
  s.cpu_user_ms = std::max(last_.cpu_user_ms, user);
  s.cpu_system_ms = std::max(last_.cpu_system_ms, system);
  s.cpu_ms = s.cpu_user_ms + s.cpu_system_ms;
  s.read_bytes = std::max(last_.read_bytes, tree.io_read ? tree.read_bytes : 0);
  s.write_bytes = std::max(last_.write_bytes, tree.io_read ? tree.write_bytes : 0);
  s.ctx_voluntary = std::max(last_.ctx_voluntary, tree.status_read ? tree.ctx_voluntary : 0);
  s.ctx_involuntary = std::max(last_.ctx_involuntary, tree.status_read ? tree.ctx_involuntary : 0);
  s.rss_peak_bytes = std::max({last_.rss_peak_bytes, s.rss_bytes, tree.status_read ? tree.hwm_sum_bytes : 0,
                               cgroup && cgroup->memory_peak ? *cgroup->memory_peak : 0});
  last_ = s;  // only the totals are needed next time, not the processes
  s.procs = std::move(tree.procs);
  return s;
}

}  // namespace bbx::profile
