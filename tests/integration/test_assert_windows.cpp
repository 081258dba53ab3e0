// Windows bounded by marks and steps, always/never sampling of live probes, and the
// process user/threads and file owner/group checks, end to end through `bbx run` against
// bbx-fixture: passing scenarios and deliberately failing ones whose failure text is
// checked exactly. Seqs, pids, sample numbers, times and ids vary, so they are normalised.
#include <doctest/doctest.h>

#include <unistd.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

// The ids scenario: the uid and gid of this test (which the runner and fixture share).
std::string ids_scenario(const std::string& name, const std::string& expect) {
  auto path = fresh_dir("ids-" + name) / (name + ".yaml");
  write_file(path, "name: assert ids " + name +
                       "\n"
                       "subjects:\n"
                       "  app:\n"
                       "    command: [bbx-fixture, --listen, \"8080\", --spawn-children, \"1\", --write-file, out/f.txt=x]\n"
                       "    ready: {listening: 8080}\n"
                       "steps:\n"
                       "  - sleep: 300ms   # children rename themselves after fork\n"
                       "expect:\n" +
                       expect);
  return path.string();
}

}  // namespace

TEST_CASE("windows bounded by marks and steps; always/never over listening, process and file") {
  auto pass = run_scenario_file("tests/cases/passing/assert_windows.yaml", fresh_dir("runs-windows-pass"));
  check_console(pass.result, 0, {"PASS  assert windows passes"});
  // The example of docs/scenario-language.md "Always and never", verbatim.
  auto doc = run_scenario_file("tests/cases/passing/assert_windows_doc.yaml", fresh_dir("runs-windows-doc"));
  check_console(doc.result, 0, {"PASS  always and never over windows"});

  const std::string f = "    tests/cases/failing/assert_windows.yaml:";
  auto failing = run_scenario_file("tests/cases/failing/assert_windows.yaml", fresh_dir("runs-windows-fail"));
  // The deciding samples are in the journal, and each failure cites one as evidence.
  CHECK(count_of(failing.events, "probe.sample") == 3);
  check_console(failing.result, 1, {
      "FAIL  assert windows fails",
      f + "20:14: processes of subject 'app' named 'fixture-child' always during (mark 'warm' .. mark 'done')\n"
          "      expected: at every sample: exactly 1\n"
          "      actual:   did not hold at sample K (seq N, Tms into the window): 0",
      f + "21:16: subject 'app' listening on tcp port 8080 always during (mark 'warm' .. end)\n"
          "      expected: at every sample: a listening socket on tcp port 8080\n"
          "      actual:   did not hold at sample K (seq N, Tms into the window): ",
      f + "22:11: file 'out/flag' never during (mark 'warm' .. mark 'done')\n"
          "      expected: at no sample: exists\n"
          "      actual:   held at sample K (seq N, Tms into the window): exists\n",
      f + "23:14: processes of subject 'app' never during (request at fake 'upstream': any method /nope .. end)\n"
          "      expected: at no sample: at least 1\n"
          "      actual:   the window never opened: request at fake 'upstream': any method /nope did not occur during "
          "the steps\n",
      f + "24:14: request at fake 'upstream': any method /inside during (mark 'warm' .. mark 'done')\n"
          "      expected: exactly 0 matching\n"
          "      actual:   1 matching: GET /inside (seq N); window seq N..seq N\n",
      f + "25:12: sequence of 2 events\n"
          "      expected: in order: mark 'done', then request at fake 'upstream': any method any path\n"
          "      actual:   matched 1 (seq N); item 2 (request at fake 'upstream': any method any path) did not follow "
          "seq N; it occurred only before, at seq N\n",
  });
}

TEST_CASE("process user and threads, file owner and group: by numeric id or name") {
  auto uid = std::to_string(::getuid());
  auto gid = std::to_string(::getgid());
  auto pass = ids_scenario("passes", "  - process: {subject: app, name: fixture-child, count: 1, user: \"" + uid +
                                         "\", threads: 1}\n"
                                         "  - process: {subject: app, name: bbx-fixture, user: \"" + uid +
                                         "\", threads: \">= 1\"}\n"
                                         "  - file: {path: out/f.txt, owner: \"" + uid + "\", group: \"" + gid + "\"}\n");
  check_console(run_scenario_file(pass, fresh_dir("runs-ids-pass")).result, 0, {"PASS  assert ids passes"});

  auto fail = ids_scenario("fails", "  - process: {subject: app, name: fixture-child, user: \"4242424\", threads: \">= 2\"}\n"
                                    "  - file: {path: out/f.txt, owner: no-such-user-bbx, group: \"4242424\"}\n");
  check_console(run_scenario_file(fail, fresh_dir("runs-ids-fail")).result, 1, {
      "FAIL  assert ids fails",
      ":9:14: processes of subject 'app' named 'fixture-child'\n"
      "      expected: at least 1, each with user 4242424 and threads at least 2\n"
      "      actual:   1: pid N fixture-child; differs: pid N fixture-child: uid ID, 1 thread\n",
      ":10:11: file 'out/f.txt'\n"
      "      expected: owner no-such-user-bbx, group ID\n"  // normalised too
      "      actual:   owner ID, group ID\n",
  });
}
