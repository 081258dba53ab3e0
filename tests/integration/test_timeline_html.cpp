// timeline.html in a real browser: the page a failed run of two subjects calling one fake
// leaves (tests/cases/failing/timeline_two_callers.yaml), opened in headless Chromium
// (Debian's chromium, driven by npm playwright-core from <build>/node, installed here when
// missing) by tests/integration/timeline_html_check.js, checked through the DOM: the lanes,
// the failure marker and its tooltip, a request's tooltip on the canvas, an anchor, the
// source filter, search, the sequence view, no network request and no script error. The
// screenshot stays at <build>/test-tmp/timeline_html/timeline.png. Without npm or chromium
// the test is skipped with a message, except under CI=true.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>

#include "browser.hpp"
#include "harness.hpp"

using namespace bbx::testing;

TEST_CASE("timeline.html in headless Chromium shows lanes, a failure marker, tooltips, anchors, filters and the sequence view") {
  std::string why;
  if (!playwright_available(why)) {
    if (std::getenv("CI") && std::string(std::getenv("CI")) == "true") FAIL(why);
    MESSAGE(why);
    return;
  }
  auto dir = fresh_dir("timeline_html");
  auto run = run_scenario_file("tests/cases/failing/timeline_two_callers.yaml", dir / "runs");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 1);
  auto html = run.dir / "timeline.html";
  REQUIRE(std::filesystem::exists(html));
  auto fail = last_of(run.events, "assert.fail");
  REQUIRE(fail);

  auto shot = dir / "timeline.png";
  auto r = run_command({"/usr/bin/env", "node", "tests/integration/timeline_html_check.js", node_modules().string(),
                        html.string(), shot.string()},
                       std::chrono::seconds(120));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto out = nlohmann::json::parse(r.out);
  MESSAGE("screenshot: ", shot.string(), "; first screen in ", out["render_ms"], " ms");
  CHECK(std::filesystem::file_size(shot) > 10000);

  std::vector<std::string> lanes = out["lanes"];
  for (std::string want : {"steps", "assertions", "front:stderr", "back:stderr", "front:front.log", "fake:upstream"})
    CHECK_MESSAGE(std::find(lanes.begin(), lanes.end(), want) != lanes.end(), "lane ", want);
  CHECK(out["failure_markers"] == nlohmann::json::array({fail->seq}));
  CHECK(out["failure_links"][0] == "#e" + std::to_string(fail->seq));
  CHECK(out["failure_tooltip"]["hidden"] == false);
  CHECK(out["failure_tooltip"]["seq"] == fail->seq);
  CHECK(out["failure_tooltip"]["text"].get<std::string>().find("FAILED: request at fake 'upstream'") != std::string::npos);
  CHECK(out["request_tooltip"]["hidden"] == false);
  CHECK(out["request_tooltip"]["seq"] == out["request_seq"]);
  CHECK(out["request_tooltip"]["text"].get<std::string>().find("GET /api/a from front") != std::string::npos);
  CHECK(out["request_tooltip"]["text"].get<std::string>().find("(sent by front)") != std::string::npos);
  CHECK(out["anchor_selected"] == true);
  CHECK(out["sequence_note"].get<std::string>().rfind("3 requests.", 0) == 0);
  CHECK(out["shown_all"] == run.events.size());
  CHECK(out["shown_without_steps"] < out["shown_all"]);
  CHECK(out["shown_search"] == 1);
  CHECK(out["paging"].get<std::string>().find("All " + std::to_string(run.events.size()) + " events") != std::string::npos);
  CHECK(out["errors"].empty());
  CHECK(out["network"].empty());
}

TEST_CASE("a paged timeline says so on screen and links its pages") {
  std::string why;
  if (!playwright_available(why)) {
    MESSAGE(why);
    return;
  }
  auto dir = fresh_dir("timeline_html_pages");
  std::string lines;
  for (int i = 1; i <= 5; ++i)
    lines += "{\"seq\":" + std::to_string(i) + ",\"t_ns\":" + std::to_string(i * 1000) +
             ",\"wall\":\"2026-12-06T00:00:00.000000Z\",\"source\":{\"kind\":\"subject\",\"name\":\"app\",\"pid\":3},"
             "\"type\":\"output.line\",\"body\":{\"line\":\"x\",\"stream\":\"stdout\"},\"attrs\":{}}\n";
  write_file(dir / "s" / "events.jsonl", lines);
  auto r = run_bbx({"timeline", "--trace", "--page-events", "2", (dir / "s").string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("in 3 pages of up to 2 events") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "s" / "timeline-3.html"));
  auto check = run_command({"/usr/bin/env", "node", "tests/integration/timeline_html_check.js", node_modules().string(),
                            (dir / "s" / "timeline-2.html").string(), (dir / "s.png").string(), "render"},
                           std::chrono::seconds(120));
  INFO(check.out, check.err);
  REQUIRE(check.exit_code == 0);
  CHECK(nlohmann::json::parse(check.out)["paging"] ==
        "This journal has 5 events, split into 3 pages; this is page 2 (events #3 to #4). Pages: 1 2 3");
}
