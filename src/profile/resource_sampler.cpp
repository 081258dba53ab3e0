#include "profile/resource_sampler.hpp"

#include <time.h>

#include <algorithm>
#include <map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "probes/resource_usage.hpp"

namespace bbx::profile {

namespace {

using Clock = std::chrono::steady_clock;

std::int64_t thread_cpu_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Subjects sampled at the same interval share a timer and one /proc read per tick.
struct Group {
  Group(boost::asio::io_context& io, model::Duration every) : interval(every), timer(io) {}
  model::Duration interval;
  boost::asio::steady_timer timer;
  Clock::time_point next;
  std::vector<const model::Subject*> subjects;
};

}  // namespace

struct ResourceSampler::Impl {
  Impl(runtime::RunContext& c, const process::Supervisor& s) : ctx(c), supervisor(s), scale(probes::system_scale()) {}

  runtime::RunContext& ctx;
  const process::Supervisor& supervisor;
  probes::UsageScale scale;
  probes::ProcReader reader;
  std::vector<std::unique_ptr<Group>> groups;
  std::map<std::string, ResourcePeaks> peaks;
  std::uint64_t ticks = 0, samples = 0;
  std::int64_t cost_ns = 0;
  bool stopped = false;

  void arm(Group& g) {
    auto now = Clock::now();
    g.next += std::chrono::duration_cast<Clock::duration>(g.interval);
    if (g.next < now) g.next = now + std::chrono::duration_cast<Clock::duration>(g.interval);
    g.timer.expires_at(g.next);
    g.timer.async_wait([this, &g](boost::system::error_code ec) {
      if (ec) return;  // cancelled: the sampler may be gone, touch nothing
      tick(g.subjects);
      arm(g);
    });
  }

  // One /proc read for all the subjects, one journal write for all their samples.
  void tick(const std::vector<const model::Subject*>& subjects) {
    auto cpu_before = thread_cpu_ns();
    std::vector<const process::SubjectState*> running;
    std::vector<pid_t> roots;
    for (const auto* subject : subjects) {
      const auto* state = supervisor.state(subject->name);
      if (!state || state->tree_gone || !state->shim) continue;
      running.push_back(state);
      roots.push_back(state->shim);
    }
    std::vector<journal::Journal::Pending> events;
    if (!running.empty()) {
      const auto& table = reader.read(roots);
      for (const auto* state : running) {
        auto u = probes::sum_tree(table, state->shim, scale, probes::count_open_fds);
        if (u.processes == 0) continue;
        events.push_back({{"subject", state->name, state->pid}, journal::ev::resource_sample,
                          {{"rss_bytes", u.rss_bytes}, {"cpu_ms", u.cpu_ms}, {"fds", u.fds}, {"threads", u.threads},
                           {"processes", u.processes}}});
        record(state->name, u);
      }
    }
    if (!events.empty()) ctx.journal().append_batch(std::move(events));
    ++ticks;
    cost_ns += thread_cpu_ns() - cpu_before;
  }

  void record(const std::string& subject, const probes::TreeUsage& u) {
    ++samples;
    auto& p = peaks[subject];
    p.subject = subject;
    p.max_rss_bytes = std::max(p.max_rss_bytes, u.rss_bytes);
    p.cpu_ms = std::max(p.cpu_ms, u.cpu_ms);
    p.max_fds = std::max(p.max_fds, u.fds);
    p.max_threads = std::max(p.max_threads, u.threads);
    ++p.samples;
  }
};

ResourceSampler::ResourceSampler(runtime::RunContext& ctx, const process::Supervisor& supervisor)
    : impl_(std::make_unique<Impl>(ctx, supervisor)) {}

ResourceSampler::~ResourceSampler() = default;

void ResourceSampler::start() {
  for (const auto& subject : impl_->ctx.scenario().subjects) {
    if (subject.sample.count() == 0) continue;
    auto it = std::find_if(impl_->groups.begin(), impl_->groups.end(),
                           [&](const auto& g) { return g->interval == subject.sample; });
    if (it == impl_->groups.end()) {
      impl_->groups.push_back(std::make_unique<Group>(impl_->ctx.io(), subject.sample));
      it = std::prev(impl_->groups.end());
    }
    (*it)->subjects.push_back(&subject);
  }
  for (auto& g : impl_->groups) {
    g->next = Clock::now();
    impl_->arm(*g);
  }
}

void ResourceSampler::sample_all() {
  std::vector<const model::Subject*> all;
  for (const auto& g : impl_->groups) all.insert(all.end(), g->subjects.begin(), g->subjects.end());
  if (!all.empty()) impl_->tick(all);
}

void ResourceSampler::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  for (auto& g : impl_->groups) g->timer.cancel();
  if (impl_->groups.empty()) return;
  auto per_sample = impl_->samples ? double(impl_->cost_ns) / 1e3 / double(impl_->samples) : 0.0;
  impl_->ctx.journal().append({"runner", "sampler", 0}, journal::ev::resource_sampler,
                              {{"ticks", impl_->ticks}, {"samples", impl_->samples},
                               {"cpu_us", impl_->cost_ns / 1000}, {"cpu_us_per_sample", per_sample}});
}

std::vector<ResourcePeaks> ResourceSampler::peaks() const {
  std::vector<ResourcePeaks> out;
  for (const auto& subject : impl_->ctx.scenario().subjects)
    if (auto it = impl_->peaks.find(subject.name); it != impl_->peaks.end()) out.push_back(it->second);
  return out;
}

}  // namespace bbx::profile
