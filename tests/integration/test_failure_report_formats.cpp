// A failure's story in every format the person on call reads: JUnit XML (the headline as
// the failure's message, the rest as its body, the timeline window and the subjects' output
// in system-out with a [[ATTACHMENT|...]] line; valid against Jenkins' junit-10.xsd, checked
// with xmllint), GitHub Actions annotations, the rerun command (run as printed: it reruns
// exactly the failed scenario, a matrix variant with regex characters in its id included),
// and --context.
#include <doctest/doctest.h>

#include <cstdlib>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string line_after(const std::string& out, const std::string& prefix) {
  auto at = out.find("\n" + prefix);
  if (at == std::string::npos) return "";
  at += 1 + prefix.size();
  return out.substr(at, out.find('\n', at) - at);
}

// XML attribute text as junit.cpp escapes it.
std::string xml_attr(std::string s) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"&", "&amp;"}, {"<", "&lt;"}, {">", "&gt;"}, {"\"", "&quot;"},
                          {"'", "&apos;"}})
    s = replaced(s, from, to);
  return s;
}

// Sets an environment variable for the bbx commands a test runs (they inherit it).
struct EnvVar {
  EnvVar(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
  ~EnvVar() { ::unsetenv(name); }
  const char* name;
};

}  // namespace

TEST_CASE("JUnit: the headline is the message, the story the body, the window in system-out; valid against junit-10.xsd") {
  auto runs = fresh_dir("runs-story-junit");
  auto junit = runs / "out.xml";
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "--junit", junit.string(), "tests/cases/defects/crash_during_step.yaml",
                    "tests/cases/defects/request_header_misspelled.yaml", "tests/cases/passing/subject_env.yaml"});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 1);
  auto xml = read_file(junit);
  INFO(xml);
  // One failure per failed scenario; its message is the console's headline, its type the cause's kind.
  for (const auto& [id, type] : {std::pair<std::string, std::string>{"defect crash during a step", "crash"},
                                 {"defect request header misspelled", "expectation"}}) {
    CAPTURE(id);
    auto block = r.out.substr(r.out.find("FAIL  " + id));
    auto headline = line_after(block, "  first cause ");
    REQUIRE_FALSE(headline.empty());
    CHECK(has(xml, "<failure message=\"" + xml_attr(headline) + "\" type=\"" + type + "\">  first cause " +
                       xml_attr(headline) + "\n"));
  }
  CHECK(has(xml, "  tally: 4 expectations: 1 passed, 3 failed; 5 steps: 1–2 passed, 3 cut short, 4–5 not run\n"));
  CHECK(has(xml, "  3 later failures, likely consequences of the first cause:\n"));
  CHECK(has(xml, "  rerun: "));
  CHECK(has(xml, "/timeline.html\n"));  // the views of #16, as under the console's failure
  CHECK(has(xml, "<system-out>  timeline around it (#"));
  CHECK(has(xml, "[shop:stderr]  fatal: giving up on request 3, exiting with code 70\n"));
  CHECK(has(xml, "  last output lines of each subject, up to #"));
  auto summary = read_summary(runs);
  for (const auto& sc : summary["scenarios"])
    if (sc["verdict"] == "failed") {
      auto dir = sc["dir"].get<std::string>();
      CHECK(has(xml, "\n[[ATTACHMENT|" + dir + "/events.jsonl]]\n"));  // the failure bundle: journal, snapshot
      REQUIRE(std::filesystem::exists(dir + "/failure/snapshot.json"));
      CHECK(has(xml, "\n[[ATTACHMENT|" + dir + "/failure/snapshot.json]]\n</system-out>"));
    }
  auto valid = run_command({"/usr/bin/xmllint", "--noout", "--schema", (source_dir() / "tests/schemas/junit-10.xsd").string(),
                            junit.string()});
  INFO(valid.out, valid.err);
  CHECK(valid.exit_code == 0);
  CHECK(read_file(runs / "latest" / "junit.xml") == xml);
}

TEST_CASE("GitHub Actions: each failed scenario is an ::error annotation at its first cause's line") {
  auto runs = fresh_dir("runs-story-github");
  CommandResult r;
  {
    EnvVar github("GITHUB_ACTIONS", "true");
    r = run_bbx({"run", "--runs-dir", runs.string(), "tests/cases/defects/crash_during_step.yaml",
                 "tests/cases/defects/debug_port_left_open.yaml", "tests/cases/passing/subject_env.yaml"});
  }
  INFO(r.out, r.err);
  CHECK(r.exit_code == 1);
  // Scenarios finish in any order (-j defaults to the CPU count): each annotation by its file.
  auto crash = line_after(r.out, "::error file=tests/cases/defects/crash_during_step.yaml,");
  CHECK(crash.rfind("line=18,col=5,title=bbx%3A defect crash during a step::at +", 0) == 0);
  CHECK(has(crash, "subject 'shop' exited with code 70 during step 3 'third request'"));
  CHECK(has(r.out, "\n::error file=tests/cases/defects/debug_port_left_open.yaml,line=8,col=16,title=bbx%3A defect debug "
                   "port left open::at +"));
  std::size_t annotations = 0;
  for (auto at = r.out.find("::error "); at != std::string::npos; at = r.out.find("::error ", at + 1)) ++annotations;
  CHECK(annotations == 2);
  // Without GITHUB_ACTIONS, none.
  auto plain = run_bbx({"run", "--runs-dir", runs.string(), "tests/cases/defects/debug_port_left_open.yaml"});
  CHECK_FALSE(has(plain.out, "::error"));
}

TEST_CASE("the rerun command, run as printed, reruns exactly the failed matrix variant") {
  auto dir = fresh_dir("runs-story-rerun");
  write_file(dir / "s.yaml", R"Y(name: retry (x+1)
vars: {label: "unset"}
matrix:
  mode: [good, bad]
subjects:
  app:
    command: [bbx-fixture, --listen, "${ports.app}", --log-line, "mode ${mode}", --log-line, "label ${label}"]
    ready: {listening: "${ports.app}"}
expect:
  - log: {subject: app, contains: "mode good"}
)Y");
  auto runs = dir / "runs";
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "--var", "label=it's mode", (dir / "s.yaml").string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 1);
  auto rerun = line_after(r.out, "  rerun: ");
  CHECK(rerun == bbx_binary().string() + " run --var 'label=it'\\''s mode' --runs-dir " + runs.string() +
                     " --id 'retry (x+1)[mode=bad]' " + (dir / "s.yaml").string());
  auto again = run_command({"/bin/sh", "-c", rerun});
  INFO(again.out, again.err);
  CHECK(again.exit_code == 1);
  CHECK(has(again.out, "1 scenario: 0 passed, 1 failed"));
  CHECK(has(again.out, "FAIL  retry (x+1)[mode=bad]"));
  CHECK(has(again.out, "[stderr] label it's mode\n"));  // the --var came along
  // --id takes the id as it is: no regex escaping, and an id that is not there selects nothing.
  auto none = run_bbx({"list", "--id", "retry (x+1)", (dir / "s.yaml").string()});
  CHECK(none.out.empty());
  auto both = run_bbx({"list", "--id", "retry (x+1)[mode=good]", "--id", "retry (x+1)[mode=bad]", (dir / "s.yaml").string()});
  CHECK(both.out.find("retry (x+1)[mode=good]") == 0);
  CHECK(has(both.out, "\nretry (x+1)[mode=bad]"));
}

TEST_CASE("--context sets the events shown around the first cause; 0 shows none") {
  auto runs = fresh_dir("runs-story-context");
  auto r = run_bbx({"run", "--runs-dir", runs.string(), "--context", "4", "tests/cases/defects/crash_during_step.yaml"});
  INFO(r.out);
  auto window = r.out.substr(r.out.find("  timeline around it"));
  window = window.substr(0, window.find("  last output lines"));
  std::size_t lines = 0;
  for (char c : window) lines += c == '\n';
  CHECK(lines == 1 + 4);  // the heading and four events
  CHECK(has(window, "[shop]  pid "));  // the exit itself is among them
  auto none = run_bbx({"run", "--runs-dir", runs.string(), "--context", "0", "tests/cases/defects/crash_during_step.yaml"});
  CHECK_FALSE(has(none.out, "timeline around it"));
  CHECK(has(none.out, "  first cause "));
  auto bad = run_bbx({"run", "--runs-dir", runs.string(), "--context", "many", "tests/cases/defects/crash_during_step.yaml"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err == "bbx: --context: expected a number 0..10000, got 'many'\n");
}

TEST_CASE("a busy machine: the story says how busy it was (scenario.end's cpu_pressure), in the console and JUnit") {
  auto runs = fresh_dir("runs-story-busy");
  auto run = run_scenario_file("tests/cases/defects/server_error.yaml", runs);
  REQUIRE(run.result.exit_code == 1);
  auto journal = run.dir / "events.jsonl";
  // The pressure this machine had is whatever it was: the stored run is re-told by `bbx merge`
  // with its scenario.end saying 80%, then 10%.
  auto with_pressure = [&](double p) {
    auto text = read_file(journal);
    auto last = text.rfind('\n', text.size() - 2) + 1;
    auto end = nlohmann::json::parse(text.substr(last));
    REQUIRE(end["type"] == "scenario.end");
    end["body"]["cpu_pressure"] = p;
    write_file(journal, text.substr(0, last) + end.dump() + "\n");
  };
  const std::string busy =
      "  machine busy: some task waited for a CPU 80% of the run's time (CPU pressure), so timings may be up to x5.0 an "
      "idle machine's: a timeout or a slow step may be the load's, not the subject's\n";
  with_pressure(0.8);
  auto junit = runs / "busy.xml";
  auto merged = run_bbx({"merge", "--junit", junit.string(), (runs / "latest").string()});
  INFO(merged.out, merged.err);
  CHECK(merged.exit_code == 1);
  // After the first cause's check, before the timeline.
  auto at = merged.out.find(busy);
  REQUIRE(at != std::string::npos);
  CHECK(merged.out.find("  first cause ") < at);
  CHECK(merged.out.find("  timeline around it") == at + busy.size());
  CHECK(has(read_file(junit), xml_attr(busy)));  // in the failure's body
  with_pressure(0.1);
  auto idle = run_bbx({"merge", (runs / "latest").string()});
  CHECK(idle.exit_code == 1);
  CHECK_FALSE(has(idle.out, "machine busy"));
}
