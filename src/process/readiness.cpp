#include "process/readiness.hpp"

#include <memory>
#include <set>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "probes/listening_sockets.hpp"
#include "process/proc_tree.hpp"
#include "util/units.hpp"

namespace bbx::process {

namespace {

// Polls the listening sockets on a 1 ms timer while a wait is in progress.
class PortWatcher {
 public:
  PortWatcher(runner::RunContext& ctx, const SubjectState& subject, std::vector<int> ports)
      : ctx_(ctx), subject_(subject), missing_(ports.begin(), ports.end()), timer_(ctx.io()) {
    try {
      probe_ = std::make_unique<probes::ListeningSocketProbe>();
    } catch (const std::exception&) {
      probe_.reset();  // fall back to /proc/net
    }
  }

  bool done() const { return missing_.empty(); }
  const std::set<int>& missing() const { return missing_; }

  void check_now() {
    if (missing_.empty()) return;
    if (probe_) probe_->dump(probes::Proto::tcp, sockets_);
    else sockets_ = probes::read_proc_net(probes::Proto::tcp);
    for (const auto& sock : sockets_) {
      if (!missing_.count(sock.port) || !owned(sock)) continue;
      missing_.erase(sock.port);
      ctx_.journal().append({"subject", subject_.name, subject_.pid}, "socket.listen",
                            {{"proto", "tcp"}, {"address", sock.address}, {"port", sock.port}});
    }
  }

  void arm() {
    timer_.expires_after(std::chrono::milliseconds(1));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      check_now();
      if (!done()) arm();
    });
  }

  ~PortWatcher() { timer_.cancel(); }

 private:
  bool owned(const probes::ListeningSocket& sock) {
    if (ctx_.namespaced()) return true;
    std::set<std::uint64_t> inodes = probes::socket_inodes_of_pid(subject_.pid);
    if (!inodes.count(sock.inode)) {
      auto table = scan_processes();
      for (pid_t d : descendants_of(subject_.pid, table)) {
        auto more = probes::socket_inodes_of_pid(d);
        inodes.insert(more.begin(), more.end());
      }
    }
    return inodes.count(sock.inode) > 0;
  }

  runner::RunContext& ctx_;
  const SubjectState& subject_;
  std::set<int> missing_;
  boost::asio::steady_timer timer_;
  std::unique_ptr<probes::ListeningSocketProbe> probe_;
  std::vector<probes::ListeningSocket> sockets_;
};

std::string describe_missing(const std::set<int>& ports) {
  std::string out = "not listening on tcp port";
  out += ports.size() > 1 ? "s " : " ";
  bool first = true;
  for (int p : ports) {
    out += (first ? "" : ", ") + std::to_string(p);
    first = false;
  }
  return out;
}

}  // namespace

ReadinessOutcome wait_until_ready(runner::RunContext& ctx, const Supervisor& supervisor,
                                  const model::Subject& subject) {
  const SubjectState* state = supervisor.state(subject.name);
  if (!state) return {false, "subject '" + subject.name + "' was not started"};
  auto deadline = std::chrono::steady_clock::now() + subject.ready.within;
  PortWatcher ports(ctx, *state, subject.ready.listening_tcp_ports);
  ports.check_now();
  if (!ports.done()) ports.arm();
  bool ok = ctx.run_until([&] { return ports.done() || state->exit.has_value(); }, deadline);
  if (state->exit)
    return {false, "subject '" + subject.name + "' " + state->exit->describe() + " before it was ready"};
  if (!ok) {
    if (ctx.aborted()) return {false, ctx.abort_reason()};
    return {false, "subject '" + subject.name + "' not ready within " + util::format_duration(subject.ready.within) +
                       ": " + describe_missing(ports.missing())};
  }
  ctx.journal().append({"subject", subject.name, state->pid}, "subject.ready", nlohmann::json::object());
  return {true, {}};
}

}  // namespace bbx::process
