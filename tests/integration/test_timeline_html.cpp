// timeline.html in a real browser: the page a failed run of two subjects calling one fake
// leaves (tests/cases/failing/timeline_two_callers.yaml), opened in headless Chromium
// (Debian's chromium, driven by npm playwright-core from <build>/node, installed here when
// missing) by tests/integration/timeline_html_check.js, checked through the DOM: the lanes,
// the failure marker and its tooltip, a request's tooltip on the canvas, an anchor, the
// source filter, search, the sequence view, no network request and no script error. The
// screenshot stays at <build>/test-tmp/timeline_html/timeline.png. Without npm or chromium
// the test is skipped with a message, except under CI=true. And the resource plots of a
// spinning and a leaking subject (tests/cases/failing/timeline_resources.yaml): the plots,
// their data, the step/mark/failure lines across them, a hover's values; screenshot at
// <build>/test-tmp/timeline_html_resources/resources.png.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <map>

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

TEST_CASE("timeline.html plots a spinning and a leaking subject's resources with the steps, mark and failure across them") {
  std::string why;
  if (!playwright_available(why)) {
    if (std::getenv("CI") && std::string(std::getenv("CI")) == "true") FAIL(why);
    MESSAGE(why);
    return;
  }
  auto dir = fresh_dir("timeline_html_resources");
  auto run = run_scenario_file("tests/cases/failing/timeline_resources.yaml", dir / "runs");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 1);
  auto shot = dir / "resources.png";
  auto r = run_command({"/usr/bin/env", "node", "tests/integration/timeline_html_check.js", node_modules().string(),
                        (run.dir / "timeline.html").string(), shot.string(), "plots"},
                       std::chrono::seconds(120));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto out = nlohmann::json::parse(r.out);
  MESSAGE("screenshot: ", shot.string());
  CHECK(std::filesystem::file_size(shot) > 10000);
  CHECK(out["errors"].empty());
  CHECK(out["network"].empty());

  // Each sampled subject has CPU, memory and counts plots (no I/O: today's sampler has no
  // read/write bytes; when it has, the plot appears).
  std::map<std::string, nlohmann::json> plots;
  for (const auto& p : out["plots"]) plots[p["subject"].get<std::string>() + ":" + p["metric"].get<std::string>()] = p;
  for (std::string want : {"spinner:cpu", "spinner:memory", "spinner:counts", "leaky:cpu", "leaky:memory", "leaky:counts"})
    REQUIRE_MESSAGE(plots.count(want), "plot ", want);
  auto series = [&](const std::string& plot, const std::string& name) {
    for (const auto& s : plots[plot]["series"])
      if (s["name"] == name) return s;
    return nlohmann::json();
  };
  // They show the data: every sample in view, the spin as CPU, the leak as memory.
  auto samples_of = [&](const std::string& subject) {
    std::size_t n = 0;
    for (const auto& e : run.events)
      if (e.type == "resource.sample" && e.source.name == subject) ++n;
    return n;
  };
  CHECK(series("spinner:memory", "rss")["points"] == samples_of("spinner"));
  // The first sample has no interval; the final one may come too soon after a tick to have one.
  auto cpu_points = series("spinner:cpu", "cpu")["points"].get<std::size_t>();
  CHECK(cpu_points <= samples_of("spinner") - 1);
  CHECK(cpu_points >= samples_of("spinner") - 2);
  // The busiest interval plotted is at least the spin's mean share of a core over the
  // samples, as the journal's cpu_ms gives it (a whole core on an idle machine, less when
  // other work competes for the CPUs).
  double first_ms = -1, last_ms = 0, first_t = 0, last_t = 0;
  for (const auto& e : run.events) {
    if (e.type != "resource.sample" || e.source.name != "spinner") continue;
    double ms = e.body.value("cpu_ms", 0.0), t = double(e.t_ns) / 1e6;
    if (first_ms < 0) first_ms = ms, first_t = t;
    last_ms = ms, last_t = t;
  }
  REQUIRE(last_t > first_t);
  double mean_pct = 100 * (last_ms - first_ms) / (last_t - first_t);
  MESSAGE("spinner: mean ", mean_pct, "% of a core over its samples");
  CHECK(mean_pct > 5);  // it did spin
  CHECK(series("spinner:cpu", "cpu")["max"].get<double>() >= 0.9 * mean_pct);
  CHECK(series("spinner:cpu", "cpu")["max"].get<double>() > series("leaky:cpu", "cpu")["max"].get<double>());
  CHECK(series("leaky:memory", "rss")["max"].get<double>() > 30.0 * (1 << 20));  // 40 MiB leaked
  CHECK(series("spinner:memory", "rss")["max"].get<double>() < 20.0 * (1 << 20));
  CHECK(series("spinner:counts", "threads")["max"].get<double>() >= 2);
  // The steps (sleep, mark, wait, sleep), the mark and the failure are lines across them.
  CHECK(plots["spinner:cpu"]["lines"]["steps"] == 4);
  CHECK(plots["spinner:cpu"]["lines"]["marks"] == 1);
  CHECK(plots["spinner:cpu"]["lines"]["failures"] == 1);
  CHECK(plots["spinner:cpu"]["lines"]["steps_as_ticks"] == false);
  // Labels with units, and hovering a plot gives the sample's values with units.
  for (const auto& l : out["labels"])
    if (l["metric"] == "cpu") CHECK(l["text"].get<std::string>().find("% of one core") != std::string::npos);
  auto cpu_hover = out["hover"]["spinner:cpu"];
  CHECK(cpu_hover["hidden"] == false);
  CHECK(cpu_hover["plot"] == "spinner:cpu");
  CHECK(cpu_hover["text"].get<std::string>().find("resource.sample") != std::string::npos);
  CHECK(cpu_hover["text"].get<std::string>().find(" %") != std::string::npos);
  auto mem_hover = out["hover"]["leaky:memory"]["text"].get<std::string>();
  CHECK(mem_hover.find("rss: ") != std::string::npos);
  CHECK(mem_hover.find("MiB") != std::string::npos);
  auto hovered = out["hover"]["leaky:memory"]["seq"].get<std::uint64_t>();
  bool is_sample = false;
  for (const auto& e : run.events)
    if (e.seq == hovered) is_sample = e.type == "resource.sample" && e.source.name == "leaky";
  CHECK(is_sample);
  // Zoomed in with the lanes: fewer samples in view.
  for (const auto& p : out["zoomed"])
    if (p["subject"] == "spinner" && p["metric"] == "memory")
      CHECK(p["series"][0]["points"].get<std::size_t>() < samples_of("spinner"));
}

TEST_CASE("timeline.html plots the sampler's newer fields (rss peak, pss, I/O rates) and leaves out what a journal lacks") {
  std::string why;
  if (!playwright_available(why)) {
    MESSAGE(why);
    return;
  }
  auto dir = fresh_dir("timeline_html_resource_fields");
  // A journal as the sampler of issue #19 writes it: 10 samples 100 ms apart, reading
  // 1 MiB and writing 64 KiB per 100 ms; pss on every 5th.
  std::string lines;
  std::uint64_t seq = 0;
  auto add = [&](std::int64_t t_ms, const std::string& kind, const std::string& name, const std::string& type, nlohmann::json body) {
    nlohmann::json e = {{"seq", ++seq}, {"t_ns", t_ms * 1'000'000}, {"wall", "2026-12-06T00:00:00.000000Z"},
                        {"source", {{"kind", kind}, {"name", name}, {"pid", 3}}}, {"type", type}, {"body", body}, {"attrs", nlohmann::json::object()}};
    lines += e.dump() + "\n";
  };
  add(0, "step", "sleep 1s", "step.begin", {{"where", "s.yaml:5:5"}});
  for (int k = 0; k < 10; ++k) {
    nlohmann::json body = {{"rss_bytes", (10 + k) << 20}, {"rss_peak_bytes", (12 + k) << 20}, {"cpu_ms", 50 * k},
                           {"cpu_user_ms", 40 * k}, {"cpu_system_ms", 10 * k}, {"read_bytes", k << 20}, {"write_bytes", k << 16},
                           {"ctx_voluntary", k}, {"ctx_involuntary", 0}, {"fds", 5}, {"threads", 2}, {"processes", 1},
                           {"accounting", "cgroup"}};
    if (k % 5 == 0) body["pss_bytes"] = (8 + k) << 20;
    add(50 + 100 * k, "subject", "app", "resource.sample", body);
  }
  add(1000, "step", "sleep 1s", "step.end", {{"ok", true}});
  write_file(dir / "s" / "events.jsonl", lines);
  auto r = run_bbx({"timeline", "--trace", (dir / "s").string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto check = run_command({"/usr/bin/env", "node", "tests/integration/timeline_html_check.js", node_modules().string(),
                            (dir / "s" / "timeline.html").string(), (dir / "fields.png").string(), "plots"},
                           std::chrono::seconds(120));
  INFO(check.out, check.err);
  REQUIRE(check.exit_code == 0);
  auto out = nlohmann::json::parse(check.out);
  CHECK(out["errors"].empty());
  std::map<std::string, nlohmann::json> plots;
  for (const auto& p : out["plots"]) plots[p["metric"].get<std::string>()] = p;
  REQUIRE(plots.count("io"));
  REQUIRE(plots.count("memory"));
  auto names = [](const nlohmann::json& p) {
    std::vector<std::string> v;
    for (const auto& s : p["series"]) v.push_back(s["name"]);
    return v;
  };
  CHECK(names(plots["memory"]) == std::vector<std::string>{"rss", "rss peak", "pss"});
  CHECK(plots["memory"]["series"][1]["max"] == 21 << 20);
  CHECK(plots["memory"]["series"][2]["points"] == 2);  // pss where it was read
  CHECK(names(plots["io"]) == std::vector<std::string>{"read", "write"});
  CHECK(plots["io"]["series"][0]["max"].get<double>() == doctest::Approx(10.0 * (1 << 20)));  // 1 MiB per 100 ms
  CHECK(plots["io"]["series"][1]["max"].get<double>() == doctest::Approx(640.0 * 1024));
  CHECK(plots["cpu"]["series"][0]["max"].get<double>() == doctest::Approx(50.0));
  CHECK(out["hover"]["app:io"]["text"].get<std::string>().find("MiB/s") != std::string::npos);
}
