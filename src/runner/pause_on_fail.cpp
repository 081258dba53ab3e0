#include "runner/pause_on_fail.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "util/ansi.hpp"

namespace bbx::runner {

std::string pause_on_fail_refusal() {
  const char* ci = std::getenv("CI");
  if (ci && std::string(ci) == "true") return "CI=true";
  if (!::isatty(STDIN_FILENO)) return "stdin is not a terminal";
  return {};
}

namespace {

void print_inspection(runtime::RunContext& ctx, const process::Supervisor& supervisor, const std::string& failure) {
  // The failure may quote subject output: shown without its escape sequences (report/plain_text.hpp).
  std::string out = "\n== bbx paused on failure (--pause-on-fail): " + util::strip_ansi(failure) + "\n";
  out += "   sandbox:  " + ctx.sandbox_dir().string() + "\n";
  out += "   journal:  tail -f " + (ctx.scenario_dir() / "events.jsonl").string() + "\n";
  if (ctx.namespaced())
    out += "   isolation namespaces: the pids below are inside the scenario's PID namespace and its sockets\n"
           "   are in its own network namespace; rerun with --isolation none to inspect them from here\n";
  else
    out += "   runner:   pid " + std::to_string(::getpid()) + " (isolation none)\n";
  for (const auto& subject : ctx.scenario().subjects) {
    std::string pids;
    for (pid_t p : supervisor.tree_of(subject.name)) pids.append(pids.empty() ? "" : " ").append(std::to_string(p));
    out += "   subject " + subject.name + ": pids [" + pids + "]; output: " +
           (ctx.scenario_dir() / "logs" / (subject.name + ".stderr.log")).string() + " (and .stdout.log)\n";
  }
  for (const auto& f : ctx.scenario().fakes)
    if (auto url = ctx.value("fakes." + f.name + ".url")) out += "   fake " + f.name + ": " + *url + "\n";
  for (const auto& [name, value] : ctx.values_with_prefix("ports."))
    out.append("   ${").append(name).append("} = ").append(value).append("\n");
  if (!ctx.namespaced()) out += "   inspect:  ss -ltnup; ps -o pid,ppid,stat,cmd --ppid PID; ls -l /proc/PID/fd\n";
  out += "   press Enter to tear everything down and continue\n";
  std::fputs(out.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace

namespace {

// Shared with the read handlers, which may outlive the pause (abort, cancel).
struct StdinWait : std::enable_shared_from_this<StdinWait> {
  StdinWait(runtime::RunContext& ctx, int fd) : in(ctx.io(), fd) {}
  void read() {
    in.async_read_some(boost::asio::buffer(buf), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      if (ec || std::string_view(self->buf.data(), n).find('\n') != std::string_view::npos) self->done = true;
      else self->read();
    });
  }
  boost::asio::posix::stream_descriptor in;
  std::array<char, 256> buf{};
  bool done = false;
};

}  // namespace

void pause_for_inspection(runtime::RunContext& ctx, const process::Supervisor& supervisor, const std::string& failure) {
  print_inspection(ctx, supervisor, failure);
  int fd = ::dup(STDIN_FILENO);
  if (fd < 0) return;
  auto wait = std::make_shared<StdinWait>(ctx, fd);
  wait->read();
  runtime::RunContext::HaltShield shield(ctx);  // it pauses at a failure: only Enter or an interrupt ends it
  ctx.run_until([&] { return wait->done; }, std::chrono::steady_clock::now() + std::chrono::hours(24));
  wait->in.cancel();
}

}  // namespace bbx::runner
