// `bbx profile --compare A B`: the exact text of the table of peaks and totals with the
// differences, on two hand-written profiles with every field of the resource.sample contract
// (profile_test_support.hpp: B uses twice the CPU, 1 MiB more memory and 100 ms more time);
// a measure one input lacks, a run directory as an input, and real profiles compared.
#include <doctest/doctest.h>

#include <iterator>
#include <sstream>

#include "harness.hpp"
#include "profile_test_support.hpp"

using namespace bbx::testing;

TEST_CASE("bbx profile --compare prints the headline and the table of peaks and totals, and writes compare.html") {
  JournalFile a("profile_compare_a"), b("profile_compare_b");
  write_profile_journal(a);
  ProfileJournalSpec slower;
  slower.cpu_scale = 2;
  slower.rss_extra = 1024 * 1024;
  slower.exit_ms = 551;
  slower.exit_code = 0;
  write_profile_journal(b, slower);
  auto out = fresh_dir("profile_compare") / "html";
  auto r = run_bbx({"profile", "--compare", "--out", out.string(), a.dir().string(), b.dir().string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "A: " + a.dir().string() + "\n" +
                     "B: " + b.dir().string() + "\n"
                     "\n"
                     "subject build\n"
                     "B vs A: duration +0.100s (+22.2%), CPU time +0.150s (+100.0%), memory peak +1.0 MiB (+25.0%)\n"
                     "  measure             A        B        B-A       B/A %\n"
                     "  exit                2        0\n"
                     "  duration            0.450s   0.550s   +0.100s   +22.2%\n"
                     "  CPU time            0.150s   0.300s   +0.150s   +100.0%\n"
                     "  CPU user            0.120s   0.240s   +0.120s   +100.0%\n"
                     "  CPU system          0.030s   0.060s   +0.030s   +100.0%\n"
                     "  CPU max             100.0%   200.0%   +100.0%   +100.0%\n"
                     "  CPU avg             50.0%    100.0%   +50.0%    +100.0%\n"
                     "  memory peak         4.0 MiB  5.0 MiB  +1.0 MiB  +25.0%\n"
                     "  RSS avg             1.8 MiB  2.8 MiB  +1.0 MiB  +57.1%\n"
                     "  PSS max             1.8 MiB  1.8 MiB  0 B       +0.0%\n"
                     "  read                1.5 MiB  1.5 MiB  0 B       +0.0%\n"
                     "  written             1.0 MiB  1.0 MiB  0 B       +0.0%\n"
                     "  fds max             6        6        0         +0.0%\n"
                     "  threads max         2        2        0         +0.0%\n"
                     "  processes max       2        2        0         +0.0%\n"
                     "  ctx switches vol    10       10       0         +0.0%\n"
                     "  ctx switches invol  2        2        0         +0.0%\n"
                     "\n"
                     "page: " + (out / "compare.html").string() + "\n");
  CHECK(std::filesystem::file_size(out / "compare.html") > 1000);
}

TEST_CASE("bbx profile --compare: measures one input lacks are '-', those none has are left out") {
  JournalFile a("profile_compare_new"), b("profile_compare_old");
  write_profile_journal(a);
  ProfileJournalSpec old;
  old.new_fields = false;
  write_profile_journal(b, old);
  auto r = run_bbx({"profile", "--compare", "--out", (fresh_dir("profile_compare_old") / "html").string(),
                    a.dir().string(), b.dir().string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("  CPU user            0.120s   -        -         -\n") != std::string::npos);
  CHECK(r.out.find("  memory peak         4.0 MiB  3.0 MiB  -1.0 MiB  -25.0%\n") != std::string::npos);
  CHECK(r.out.find("  PSS max             1.8 MiB  -        -         -\n") != std::string::npos);
}

TEST_CASE("bbx profile --compare reads real profiles and runs: two profiles of one command") {
  auto dir = fresh_dir("profile_compare_real");
  for (const char* name : {"one", "two"}) {
    auto r = run_bbx({"profile", "--out", (dir / name).string(), "--", "/bin/sh", "-c", "sleep 0.3"});
    REQUIRE(r.exit_code == 0);
  }
  auto r = run_bbx({"profile", "--compare", "--out", (dir / "html").string(), (dir / "one").string(), (dir / "two").string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\nsubject sh\nB vs A: duration ") != std::string::npos);
  auto at = r.out.find("\n  exit ");
  REQUIRE(at != std::string::npos);
  std::istringstream row(r.out.substr(at + 1, r.out.find('\n', at + 1) - at - 1));
  std::vector<std::string> cells{std::istream_iterator<std::string>(row), std::istream_iterator<std::string>()};
  CHECK(cells == std::vector<std::string>{"exit", "0", "0"});
}

TEST_CASE("bbx profile --compare on two runs of a scenario: each subject compared with itself") {
  const std::string yaml = R"(name: two sampled
subjects:
  app:
    command: [bbx-fixture, --leak-mb-per-s, "20", --leak-limit-mb, "20"]
  worker:
    command: [bbx-fixture]
steps:
  - sleep: 600ms
)";
  auto one = run_scenario_yaml(fresh_dir("profile_compare_run1"), yaml);
  auto two = run_scenario_yaml(fresh_dir("profile_compare_run2"), yaml);
  REQUIRE(one.result.exit_code == 0);
  REQUIRE(two.result.exit_code == 0);
  auto r = run_bbx({"profile", "--compare", "--out", (fresh_dir("profile_compare_runs") / "html").string(),
                    std::filesystem::canonical(one.runs / "latest").string(), std::filesystem::canonical(two.runs / "latest").string()});
  INFO(r.out, r.err);
  CHECK(r.exit_code == 0);
  auto app = r.out.find("\nsubject two sampled / app\nB vs A: duration ");
  auto worker = r.out.find("\nsubject two sampled / worker\nB vs A: duration ");
  CHECK(app != std::string::npos);
  CHECK(worker != std::string::npos);
  CHECK(app < worker);
  CHECK(r.out.find("  memory peak ") != std::string::npos);
}
