#include "profile/resource_sampler.hpp"

#include <time.h>

#include <algorithm>
#include <map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "probes/cgroup_stats.hpp"
#include "probes/resource_usage.hpp"
#include "profile/sample_accounting.hpp"

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
  Group(boost::asio::io_context& io, model::Duration every) : interval(every), timer(io) {
    // status and io files at most 5 times a second, PSS at most once a second.
    auto per = std::chrono::duration_cast<Clock::duration>(every);
    auto every_nth = [per](Clock::duration period) {
      return std::max<std::uint64_t>(1, static_cast<std::uint64_t>((period + per - Clock::duration(1)) / per));
    };
    detail_every = every_nth(kDetailPeriod);
    pss_every = every_nth(kPssPeriod);
  }
  static constexpr Clock::duration kDetailPeriod = std::chrono::milliseconds(200);
  static constexpr Clock::duration kPssPeriod = std::chrono::seconds(1);
  model::Duration interval;
  boost::asio::steady_timer timer;
  Clock::time_point next;
  std::uint64_t detail_every = 1, pss_every = 10;
  std::vector<const model::Subject*> subjects;
};

// One started instance of a subject (a restart makes another).
struct Instance {
  SampleAccount account;
  std::uint64_t sampled = 0;  // samples taken; status/io and PSS are read on every nth, from the first
  bool cgroup_checked = false, in_cgroup = false;
  bool ended = false;  // its final sample (after its tree ended) is taken
  std::int64_t first_t_ns = -1, last_t_ns = 0;
  std::uint64_t first_cpu_ms = 0, account_last_cpu = 0;
};

// Which of a sample's costly reads a tick makes: every nth sample of each instance, counting
// from its first, so a subject started between two ticks still gets them on its first sample.
struct Cadence {
  std::uint64_t detail_every = 1, pss_every = 0;  // 0: never
  bool detail(const Instance& i) const { return detail_every && i.sampled % detail_every == 0; }
  bool pss(const Instance& i) const { return pss_every && i.sampled % pss_every == 0; }
};

constexpr std::uint64_t kPssRssLimit = std::uint64_t(1) << 30;  // 1 GiB: PSS skipped above

}  // namespace

Deadline next_deadline(Clock::time_point previous, Clock::duration interval, Clock::time_point now) {
  Deadline d{previous + interval, 0};
  if (interval <= Clock::duration::zero() || d.at >= now) return d;
  auto behind = (now - d.at) / interval + 1;
  d.skipped = static_cast<std::uint64_t>(behind);
  d.at += behind * interval;
  return d;
}

struct ResourceSampler::Impl {
  Impl(runtime::RunContext& c, const process::Supervisor& s) : ctx(c), supervisor(s), scale(probes::system_scale()) {}

  runtime::RunContext& ctx;
  const process::Supervisor& supervisor;
  probes::UsageScale scale;
  probes::ProcReader reader;
  std::vector<std::unique_ptr<Group>> groups;
  std::map<std::pair<std::string, pid_t>, Instance> instances;  // by subject and shim pid
  std::map<std::string, ResourcePeaks> peaks;
  std::map<std::string, std::vector<const Instance*>> instances_of;
  std::uint64_t ticks = 0, samples = 0, skipped = 0, pss_reads = 0, pss_skipped = 0;
  std::int64_t cost_ns = 0;
  bool stopped = false;

  void arm(Group& g) {
    // Absolute deadlines: the next one is the previous one plus the interval, never "now plus
    // the interval", so the rate does not drift; deadlines already past are skipped (counted).
    auto next = next_deadline(g.next, std::chrono::duration_cast<Clock::duration>(g.interval), Clock::now());
    g.next = next.at;
    skipped += next.skipped;
    g.timer.expires_at(g.next);
    g.timer.async_wait([this, &g](boost::system::error_code ec) {
      if (ec) return;  // cancelled: the sampler may be gone, touch nothing
      tick(g.subjects, Cadence{g.detail_every, g.pss_every});
      arm(g);
    });
  }

  // One /proc read for all the subjects, one journal write for all their samples.
  void tick(const std::vector<const model::Subject*>& subjects, const Cadence& cadence) {
    auto cpu_before = thread_cpu_ns();
    std::vector<const process::SubjectState*> running, ended;
    std::vector<pid_t> roots;
    for (const auto* subject : subjects) {
      const auto* state = supervisor.state(subject->name);
      if (!state || !state->shim) continue;
      if (state->tree_gone) {
        if (state->ended_unasked) ended.push_back(state);
        continue;
      }
      if (state->stopping) continue;  // being stopped: its processes are exiting (RSS 0 mid-exit)
      running.push_back(state);
      roots.push_back(state->shim);
    }
    std::vector<journal::Journal::Pending> events;
    for (const auto* state : ended) final_sample(*state, events);
    if (!running.empty()) {
      auto members = cgroup_members(running);
      const auto& table = reader.read(roots, members ? &*members : nullptr);
      const probes::TreeProbe detailed = reader.probe();
      auto t_ns = ctx.journal().now_ns();
      for (const auto* state : running) {
        probes::Reaped reaped{state->reaped_ctx_voluntary, state->reaped_ctx_involuntary};
        auto& inst = instance(*state);
        auto u = probes::sum_tree(table, state->shim, scale, cadence.detail(inst) ? detailed : probes::TreeProbe{},
                                  reaped);
        if (u.processes == 0) continue;
        bool pss = cadence.pss(inst);
        ++inst.sampled;
        std::optional<probes::CgroupStats> cgroup;
        if (inst.in_cgroup) cgroup = probes::read_cgroup_stats(state->cgroup);
        std::optional<std::uint64_t> pss_bytes;
        if (pss && u.rss_bytes > kPssRssLimit) {
          ++pss_skipped;
        } else if (pss) {
          std::uint64_t sum = 0;
          for (const auto& p : u.procs) sum += probes::read_pss_bytes(p.pid).value_or(0);
          pss_bytes = sum;
          ++pss_reads;
        }
        auto s = inst.account.next(std::move(u), cgroup, pss_bytes);
        record(state->name, inst, s, t_ns);
        events.push_back({{"subject", state->name, state->pid}, journal::ev::resource_sample, nullptr, nullptr,
                          sample_body(std::move(s))});
      }
    }
    if (!events.empty()) ctx.journal().append_batch(std::move(events));
    ++ticks;
    cost_ns += thread_cpu_ns() - cpu_before;
  }

  void final_samples() {
    std::vector<journal::Journal::Pending> events;
    for (const auto& g : groups)
      for (const auto* subject : g->subjects)
        if (const auto* state = supervisor.state(subject->name);
            state && state->shim && state->tree_gone && state->ended_unasked)
          final_sample(*state, events);
    if (!events.empty()) ctx.journal().append_batch(std::move(events));
  }

  // The sample of an instance whose tree ended by itself, once: its totals from what the
  // shim reaped (or its cgroup), its levels 0, `exit: true`. A command shorter than one interval
  // gets this one sample; a longer one its last interval's CPU, which no tick saw.
  void final_sample(const process::SubjectState& state, std::vector<journal::Journal::Pending>& events) {
    auto& inst = instance(state);
    if (inst.ended) return;
    inst.ended = true;
    probes::TreeUsage u;
    u.cpu_user_ms = state.reaped_cpu_user_us / 1000;
    u.cpu_system_ms = state.reaped_cpu_system_us / 1000;
    u.cpu_ms = u.cpu_user_ms + u.cpu_system_ms;
    u.fds_read = u.status_read = true;
    u.hwm_sum_bytes = state.reaped_max_rss_bytes;
    u.ctx_voluntary = state.reaped_ctx_voluntary;
    u.ctx_involuntary = state.reaped_ctx_involuntary;
    std::optional<probes::CgroupStats> cgroup;
    if (inst.in_cgroup) cgroup = probes::read_cgroup_stats(state.cgroup);
    auto s = inst.account.next(std::move(u), cgroup, std::nullopt);
    s.exit = true;
    ++inst.sampled;
    record(state.name, inst, s, ctx.journal().now_ns());
    events.push_back({{"subject", state.name, state.pid}, journal::ev::resource_sample, nullptr, nullptr,
                      sample_body(std::move(s))});
  }

  // Every process of the running subjects' trees, from their cgroups' cgroup.procs, when each
  // of them runs in its own cgroup: then the process table is read for those alone, not
  // listed from /proc. nullopt otherwise (or when a file cannot be read).
  std::optional<std::vector<pid_t>> cgroup_members(const std::vector<const process::SubjectState*>& running) {
    std::vector<pid_t> all;
    for (const auto* state : running) {
      if (!instance(*state).in_cgroup) return std::nullopt;
      auto procs = probes::read_cgroup_procs(state->cgroup);
      if (!procs) return std::nullopt;
      all.insert(all.end(), procs->begin(), procs->end());
    }
    return all;
  }

  Instance& instance(const process::SubjectState& state) {
    auto [it, made] = instances.try_emplace({state.name, state.shim});
    Instance& inst = it->second;
    if (made) instances_of[state.name].push_back(&inst);
    if (!inst.cgroup_checked) {
      std::optional<std::string> where;
      if (!state.cgroup.empty()) where = probes::cgroup2_path_of(state.shim);
      if (auto decided = cgroup_membership(state.cgroup, where, state.launched != 0)) {
        inst.cgroup_checked = true;
        inst.in_cgroup = *decided;
      }
    }
    return inst;
  }

  void record(const std::string& subject, Instance& inst, const Sample& s, std::int64_t t_ns) {
    ++samples;
    auto& p = peaks[subject];
    p.subject = subject;
    if (inst.first_t_ns >= 0 && t_ns > inst.last_t_ns) {
      double pct = 100.0 * double(s.cpu_ms - inst.account_last_cpu) / (double(t_ns - inst.last_t_ns) / 1e6);
      p.max_cpu_percent = std::max(p.max_cpu_percent.value_or(0.0), pct);
    }
    if (inst.first_t_ns < 0) inst.first_t_ns = t_ns, inst.first_cpu_ms = s.cpu_ms;
    inst.last_t_ns = t_ns;
    inst.account_last_cpu = s.cpu_ms;
    p.max_rss_bytes = std::max(p.max_rss_bytes, s.rss_bytes);
    p.rss_peak_bytes = std::max(p.rss_peak_bytes.value_or(0), s.rss_peak_bytes);
    if (s.pss_bytes) p.max_pss_bytes = std::max(p.max_pss_bytes.value_or(0), *s.pss_bytes);
    p.cpu_ms = std::max(p.cpu_ms, s.cpu_ms);
    p.max_fds = std::max(p.max_fds, s.fds);
    p.max_threads = std::max(p.max_threads, s.threads);
    p.accounting = s.cgroup ? "cgroup" : "proc";
    ++p.samples;
  }

  // Totals over every instance of the subject: each instance's last sample, summed.
  void finish(ResourcePeaks& p) const {
    std::uint64_t user = 0, system = 0, rd = 0, wr = 0, vol = 0, invol = 0, cpu = 0;
    std::int64_t span_ns = 0;
    for (const Instance* inst : instances_of.at(p.subject)) {
      const Sample& s = inst->account.last();
      user += s.cpu_user_ms, system += s.cpu_system_ms, rd += s.read_bytes, wr += s.write_bytes;
      vol += s.ctx_voluntary, invol += s.ctx_involuntary;
      if (inst->first_t_ns >= 0) cpu += s.cpu_ms - inst->first_cpu_ms, span_ns += inst->last_t_ns - inst->first_t_ns;
    }
    p.cpu_user_ms = user, p.cpu_system_ms = system, p.read_bytes = rd, p.write_bytes = wr;
    p.ctx_voluntary = vol, p.ctx_involuntary = invol;
    if (span_ns > 0) p.avg_cpu_percent = 100.0 * double(cpu) / (double(span_ns) / 1e6);
  }
};

std::optional<bool> cgroup_membership(std::string_view cgroup_dir, const std::optional<std::string>& shim_cgroup,
                                      bool launched) {
  if (cgroup_dir.empty()) return false;
  if (shim_cgroup && shim_cgroup->size() > 1 && cgroup_dir.ends_with(*shim_cgroup)) return true;
  if (launched) return false;  // it joined before the command started, or never will
  return std::nullopt;
}

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
  if (!all.empty()) impl_->tick(all, Cadence{1, 0});
}

void ResourceSampler::stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  for (auto& g : impl_->groups) g->timer.cancel();
  if (impl_->groups.empty()) return;
  impl_->final_samples();  // of trees that ended on their own since the last tick
  auto per_sample = impl_->samples ? double(impl_->cost_ns) / 1e3 / double(impl_->samples) : 0.0;
  impl_->ctx.journal().append({"runner", "sampler", 0}, journal::ev::resource_sampler,
                              {{"ticks", impl_->ticks},
                               {"samples", impl_->samples},
                               {"cpu_us", impl_->cost_ns / 1000},
                               {"cpu_us_per_sample", per_sample},
                               {"skipped_ticks", impl_->skipped},
                               {"pss_reads", impl_->pss_reads},
                               {"pss_skipped", impl_->pss_skipped}});
}

std::vector<ResourcePeaks> ResourceSampler::peaks() const {
  std::vector<ResourcePeaks> out;
  for (const auto& subject : impl_->ctx.scenario().subjects)
    if (auto it = impl_->peaks.find(subject.name); it != impl_->peaks.end()) {
      out.push_back(it->second);
      impl_->finish(out.back());
    }
  return out;
}

}  // namespace bbx::profile
