// bbx-bench-templates: the log-template miner's rate on N generated log lines (a CMake
// target outside `all`, for bench/compare.sh):
//   bbx-bench-templates N
// Lines as services print them (fixed seed): access lines with methods, paths with ids,
// statuses, durations, client addresses with ephemeral ports; lines with UUIDs, hex ids,
// timestamps; a few hundred distinct templates in all. Each line goes through the masks
// (compare::mask_volatile, one Aliases scope per 1000 lines as a lane would have) and
// then TemplateMiner::add, as `bbx diff` does. Prints
//   FIGURE compare.template_lines_per_s <rate> lines/s
//   info templates: <count> from <N> lines in <s> s (generation not timed)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "compare/log_templates.hpp"
#include "compare/volatile_values.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: bbx-bench-templates N\n");
    return 2;
  }
  const std::size_t n = std::strtoull(argv[1], nullptr, 10);
  std::mt19937_64 rng(42);
  auto pick = [&](std::size_t k) { return static_cast<std::size_t>(rng() % k); };
  const char* methods[] = {"GET", "POST", "PUT", "DELETE"};
  const char* resources[] = {"users", "orders", "items", "carts", "sessions", "payments", "reports", "health"};
  const char* words[] = {"cache", "pool", "worker", "queue", "shard", "replica", "index", "socket"};
  const char* states[] = {"started", "stopped", "full", "drained", "degraded", "recovered", "timed out"};
  std::vector<std::string> lines;
  lines.reserve(n);
  char buf[512];
  for (std::size_t i = 0; i < n; ++i) {
    switch (pick(6)) {
      case 0:
      case 1:
        std::snprintf(buf, sizeof buf, "request %s /api/v1/%s/%zu status=%d took %zums from 127.0.0.1:%zu", methods[pick(4)],
                      resources[pick(8)], pick(100000), pick(10) ? 200 : 503, pick(900), 32768 + pick(28000));
        break;
      case 2:
        std::snprintf(buf, sizeof buf, "%s %s #%zu %s after %zu.%03zus", words[pick(8)], words[pick(8)], pick(64), states[pick(7)],
                      pick(30), pick(1000));
        break;
      case 3:
        std::snprintf(buf, sizeof buf, "session %08zx-%04zx-4%03zx-a%03zx-%012zx opened for user %zu", (std::size_t)rng() & 0xffffffff,
                      pick(0xffff), pick(0xfff), pick(0xfff), (std::size_t)rng() & 0xffffffffffff, pick(5000));
        break;
      case 4:
        std::snprintf(buf, sizeof buf, "2026-12-06T03:%02zu:%02zu.%06zuZ INFO flushed %zu records to segment 0x%08zx", pick(60), pick(60),
                      pick(1000000), pick(10000), (std::size_t)rng() & 0xffffffff);
        break;
      default:
        std::snprintf(buf, sizeof buf, "error: upstream %s failed: %s (attempt %zu of 3)", resources[pick(8)], states[pick(7)], 1 + pick(3));
        break;
    }
    lines.emplace_back(buf);
  }
  bbx::compare::TemplateMiner miner;
  bbx::compare::Aliases aliases;
  std::string masked;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 1000 == 0) aliases.clear();
    masked.clear();
    bbx::compare::mask_volatile(lines[i], aliases, masked);
    miner.add(masked);
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("FIGURE compare.template_lines_per_s %.0f lines/s\n", double(n) / s);
  std::printf("info templates: %zu from %zu lines in %.3f s (generation not timed)\n", miner.size(), n, s);
  return 0;
}
