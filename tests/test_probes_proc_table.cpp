// The /proc/PID/stat reader: recorded lines parsed, and this process found in the live table.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>

#include "probes/proc_table.hpp"

using namespace bbx::probes;

namespace {

// A real /proc/PID/stat line (52 fields), with utime 7, stime 3, cutime 20, cstime 5,
// num_threads 4 and rss 388.
const char* kStat =
    "30668 (cat) R 30666 30666 3746 0 -1 4194304 100 0 0 0 7 3 20 5 20 0 4 0 1123630 3133440 388 "
    "18446744073709551615 94002018021376 94002018041257 140735323112000 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 "
    "94002018057264 94002018058880 94002094088192 140735323113909 140735323113929 140735323113929 "
    "140735323115499 0\n";

}  // namespace

TEST_CASE("a /proc/PID/stat line gives ppid, CPU ticks, threads and rss") {
  auto p = parse_proc_stat(kStat);
  REQUIRE(p);
  CHECK(p->pid == 30668);
  CHECK(p->ppid == 30666);
  CHECK(p->pgid == 30666);
  CHECK(p->comm == "cat");
  CHECK(p->state == 'R');
  CHECK(p->cpu_ticks == 10);
  CHECK(p->child_cpu_ticks == 25);
  CHECK(p->threads == 4);
  CHECK(p->rss_pages == 388);
}

TEST_CASE("comm may hold spaces and parentheses") {
  auto p = parse_proc_stat("12 (my (odd) name) S 1 12 12 0 -1 0 0 0 0 0 1 2 0 0 20 0 3 0 5 6 77 rest");
  REQUIRE(p);
  CHECK(p->comm == "my (odd) name");
  CHECK(p->ppid == 1);
  CHECK(p->cpu_ticks == 3);
  CHECK(p->threads == 3);
  CHECK(p->rss_pages == 77);
}

TEST_CASE("malformed or truncated stat text is rejected") {
  CHECK_FALSE(parse_proc_stat(""));
  CHECK_FALSE(parse_proc_stat("12 (x) S 1 2 3"));                        // ends before rss
  CHECK_FALSE(parse_proc_stat("abc (x) S 1 12 12 0 -1 0 0 0 0 0 1 2 0 0 20 0 3 0 5 6 77"));
  CHECK_FALSE(parse_proc_stat("12 (x) S one 12 12 0 -1 0 0 0 0 0 1 2 0 0 20 0 3 0 5 6 77"));
  CHECK_FALSE(parse_proc_stat("12 x S 1 12"));
}

TEST_CASE("the live table holds this process with its parent, and descendants_of walks the tree") {
  auto table = read_proc_table();
  auto self = std::find_if(table.begin(), table.end(), [](const ProcStat& p) { return p.pid == ::getpid(); });
  REQUIRE(self != table.end());
  CHECK(self->ppid == ::getppid());
  auto below_parent = descendants_of(::getppid(), table);
  CHECK(std::find(below_parent.begin(), below_parent.end(), ::getpid()) != below_parent.end());
  auto one = read_proc_stat(::getpid());
  REQUIRE(one);
  CHECK(one->comm == self->comm);
}

TEST_CASE("descendants_of follows children and grandchildren only") {
  std::vector<ProcStat> table(4);
  table[0].pid = 10; table[0].ppid = 1;
  table[1].pid = 11; table[1].ppid = 10;
  table[2].pid = 12; table[2].ppid = 11;
  table[3].pid = 13; table[3].ppid = 1;
  auto d = descendants_of(10, table);
  std::sort(d.begin(), d.end());
  CHECK(d == std::vector<pid_t>{11, 12});
  CHECK(descendants_of(12, table).empty());
}
