// profile.html and compare.html (bbx profile) in headless Chromium (browser.hpp), read
// through the DOM by tests/integration/profile_html_check.js: every plot drawn with data,
// axes labelled with units, the tooltip at the cursor, the summary table, no network request
// and no script error. A real profile of the fixture (leaking, with children: the measures
// today's sampler journals) and a comparison of two hand-written profiles with every field of
// the resource.sample contract (I/O, PSS, per-process detail). Screenshots stay in
// <build>/test-tmp/profile_html/.
#include <doctest/doctest.h>

#include "browser.hpp"
#include "harness.hpp"
#include "profile_test_support.hpp"

using namespace bbx::testing;

namespace {

nlohmann::json open_in_browser(const std::filesystem::path& html, const std::filesystem::path& shot) {
  auto r = run_command({"/usr/bin/env", "node", "tests/integration/profile_html_check.js", node_modules().string(),
                        html.string(), shot.string()},
                       std::chrono::seconds(120));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  MESSAGE("screenshot: ", shot.string());
  CHECK(std::filesystem::file_size(shot) > 10000);
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* chart(const nlohmann::json& out, const std::string& id) {
  for (const auto& c : out["charts"])
    if (c["chart"] == id) return &c;
  return nullptr;
}

}  // namespace

TEST_CASE("profile.html in headless Chromium: the plots of a real profile, drawn with data") {
  if (!browser_or_skip()) return;
  auto dir = fresh_dir("profile_html");
  auto p = dir / "p";
  auto fixture = (std::filesystem::path(BBX_BINARY_DIR) / "bbx-fixture").string();
  auto r = run_bbx({"profile", "--rate", "20", "--out", p.string(), "--", fixture, "--leak-mb-per-s", "40",
                    "--leak-limit-mb", "40", "--spawn-children", "2", "--exit-after", "1500ms"});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto out = open_in_browser(p / "profile.html", dir / "profile.png");
  CHECK(out["title"] == "bbx profile: bbx-fixture");
  for (const char* id : {"cpu", "memory", "fds", "threads", "ctx"}) {
    const auto* c = chart(out, id);
    REQUIRE_MESSAGE(c, id);
    REQUIRE_MESSAGE(!(*c)["lines"].empty(), id);
    CHECK_MESSAGE((*c)["lines"][0]["points"].get<int>() >= 10, id, ": ", c->dump());
  }
  const auto* mem = chart(out, "memory");
  CHECK((*mem)["lines"][0]["label"] == "RSS");
  bool mib = false;  // the y axis in binary units
  for (const auto& t : (*mem)["y_labels"]) mib = mib || t.get<std::string>().find("MiB") != std::string::npos;
  CHECK(mib);
  const auto* thr = chart(out, "threads");
  CHECK((*thr)["lines"][1]["label"] == "processes");
  CHECK(out["tooltip"]["hidden"] == false);
  CHECK(out["tooltip"]["text"].get<std::string>().find("CPU at ") == 0);
  CHECK(out["table"][0] == nlohmann::json::array({"measure", "value"}));
  CHECK(out["table"][1] == nlohmann::json::array({"exit", "0"}));
  CHECK(out["errors"].empty());
  CHECK(out["network"].empty());
}

TEST_CASE("compare.html in headless Chromium: two profiles overlaid, every measure of the contract plotted") {
  if (!browser_or_skip()) return;
  auto dir = fresh_dir("profile_html_compare");
  JournalFile a("profile_html_a"), b("profile_html_b");
  write_profile_journal(a);
  ProfileJournalSpec slower;
  slower.cpu_scale = 2;
  slower.rss_extra = 1024 * 1024;
  write_profile_journal(b, slower);
  auto r = run_bbx({"profile", "--compare", "--out", dir.string(), a.dir().string(), b.dir().string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  auto out = open_in_browser(dir / "compare.html", dir / "compare.png");
  CHECK(out["not_measured"] == 0);
  const auto* io = chart(out, "io");
  REQUIRE(io);
  std::vector<std::string> labels;
  for (const auto& l : (*io)["lines"]) labels.push_back(l["label"]);
  CHECK(labels == std::vector<std::string>{"A read", "A write", "B read", "B write"});
  const auto* mem = chart(out, "memory");
  labels.clear();
  for (const auto& l : (*mem)["lines"]) labels.push_back(l["label"]);
  CHECK(labels == std::vector<std::string>{"A RSS", "A RSS peak", "A PSS", "B RSS", "B RSS peak", "B PSS"});
  // PSS, read on two samples of four: one piece across the samples without it.
  CHECK((*mem)["lines"][2]["points"] == 2);
  CHECK((*mem)["lines"][2]["segments"] == 1);
  CHECK((*chart(out, "cpu"))["lines"].size() == 2);
  REQUIRE(out["headlines"].size() == 1);
  CHECK(out["headlines"][0].get<std::string>().rfind("B vs A: duration", 0) == 0);
  CHECK(out["errors"].empty());
  CHECK(out["network"].empty());
}
