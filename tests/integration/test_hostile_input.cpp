// Files and paths a hostile or unlucky user hands bbx: each ends in bounded time with exit 2
// and the reason (never a hang, an "internal error" or a crash), and output that cannot be
// written is not reported as a success.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// A bbx that hangs or blows up fails here instead of hanging CI.
constexpr auto kBound = std::chrono::seconds(20);

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a FIFO, /proc/self/mem and a symlink loop as the scenario path: exit 2 with the reason") {
  auto dir = fresh_dir("hostile-paths");
  auto fifo = dir / "pipe.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto r = run_bbx({"validate", fifo.string()}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, fifo.string() + ": cannot read file: it is a FIFO"), r.err);

  r = run_bbx({"validate", "/proc/self/mem"}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, "/proc/self/mem: cannot read file: Input/output error"), r.err);

  auto loop = dir / "loop.yaml";
  std::filesystem::create_symlink(loop, loop);
  r = run_bbx({"validate", loop.string()}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, loop.string() + ": Too many levels of symbolic links"), r.err);
}

TEST_CASE("a 3 MB unknown key gets no typo search and is shown by its ends") {
  auto dir = fresh_dir("hostile-key");
  auto file = write_file(dir / "s.yaml", "name: big key\n? " + std::string(3'000'000, 'k') + "\n: 1\n");
  auto r = run_bbx({"validate", file.string()}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, file.string() + ":2:3: scenario: unknown key \"kkkk"), r.err);
  CHECK_MESSAGE(has(r.err, "\" … (2,999,904 bytes) … \"kkkk"), r.err);
  CHECK(r.err.size() < 1000);  // not the key echoed whole
}

TEST_CASE("YAML aliases doubling 30 levels deep are refused where they pass 1,000,000 values, not walked 2^30 times") {
  auto dir = fresh_dir("hostile-aliases");
  std::string yaml = "name: alias bomb\nvars:\n  a0: &a0 [x]\n";
  for (int i = 1; i <= 30; ++i)
    yaml += "  a" + std::to_string(i) + ": &a" + std::to_string(i) + " [*a" + std::to_string(i - 1) + ", *a" +
            std::to_string(i - 1) + "]\n";
  auto file = write_file(dir / "s.yaml", yaml);
  auto r = run_bbx({"validate", file.string()}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, file.string() + ":22:8: more than 1,000,000 values once YAML aliases (*name) are expanded"),
                r.err);  // a19: 2^20 values
}

TEST_CASE("output that cannot be written (stdout on /dev/full) exits 3 and says so") {
  auto cmd = bbx_binary().string() + " list tests/cases/passing/subject_tty.yaml > /dev/full";
  auto r = run_command({"/bin/sh", "-c", cmd}, kBound);
  INFO(r.exit_code, r.out, r.err);
  CHECK(r.exit_code == 3);
  CHECK_MESSAGE(has(r.err, "bbx: cannot write to standard output (No space left on device)"), r.err);
}

TEST_CASE("an include graph that repeats fragments 30 levels deep stops at 1000 loads, not 2^30") {
  auto dir = fresh_dir("hostile-includes");
  auto fragment = [](int i) {
    std::ostringstream name;
    name << 'f' << i << ".inc.yaml";
    return name.str();
  };
  for (int i = 0; i < 30; ++i) {
    std::ostringstream text;
    text << "include: [" << fragment(i + 1) << ", " << fragment(i + 1) << "]\n";
    write_file(dir / fragment(i), text.str());
  }
  write_file(dir / "f30.inc.yaml", "vars: {x: '1'}\n");
  auto file = write_file(dir / "s.yaml", "name: include bomb\ninclude: [f0.inc.yaml]\n");
  auto r = run_bbx({"validate", file.string()}, kBound);
  CHECK(r.exit_code == 2);
  CHECK_MESSAGE(has(r.err, "include: more than 1000 fragment loads for one scenario (fragments included again and again)"),
                r.err);
}
