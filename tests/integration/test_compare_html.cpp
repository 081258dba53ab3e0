// diff.html in a real browser: `bbx diff --html` of a run against one whose fixture printed
// a new fatal line, opened in headless Chromium (Debian's chromium, npm playwright-core
// from <build>/node, installed when missing as for test_timeline_html.cpp) by
// tests/integration/diff_html_check.js and checked through the DOM: the scenario and its
// state, every difference with its layer and its +/- lines, the layer filter and the text
// filter, no script error, no request leaving the page. The screenshot stays at
// <build>/test-tmp/compare_html/diff.png. Without npm or chromium the test is skipped with
// a message, except under CI=true.
#include <doctest/doctest.h>

#include <cstdlib>

#include "browser.hpp"
#include "harness.hpp"

using namespace bbx::testing;
using nlohmann::json;

namespace {

std::filesystem::path run_ok(const std::filesystem::path& runs, const std::vector<std::string>& args) {
  std::vector<std::string> all{"run", "--runs-dir", runs.string()};
  all.insert(all.end(), args.begin(), args.end());
  auto r = run_bbx(all, std::chrono::seconds(120));
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);
  return std::filesystem::canonical(runs / "latest");
}

}  // namespace

TEST_CASE("diff.html in headless Chromium shows every difference, its layer and lines, and filters them") {
  std::string why;
  if (!playwright_available(why)) {
    if (std::getenv("CI") && std::string(std::getenv("CI")) == "true") FAIL(why);
    MESSAGE(why);
    return;
  }
  auto dir = fresh_dir("compare_html");
  auto a = run_ok(dir / "a", {"tests/cases/compare/drift.yaml"});
  auto b = run_ok(dir / "b", {"--var", "drift=--log-line=fatal:-boom", "tests/cases/compare/drift.yaml"});
  auto html = dir / "diff.html";
  auto r = run_bbx({"diff", "--threshold", "2s", "--html", html.string(), a.string(), b.string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 1);
  CHECK(r.out.find("diff.html: " + html.string() + "\n") != std::string::npos);
  auto page = read_file(html);
  CHECK(page.find("http://") == std::string::npos);  // self-contained: nothing to fetch
  CHECK(page.find("https://") == std::string::npos);

  auto shot = dir / "diff.png";
  auto check = run_command({"/usr/bin/env", "node", "tests/integration/diff_html_check.js", node_modules().string(),
                            html.string(), shot.string()},
                           std::chrono::seconds(120));
  INFO(check.out, check.err);
  REQUIRE(check.exit_code == 0);
  auto out = json::parse(check.out);
  MESSAGE("screenshot: ", shot.string());
  CHECK(std::filesystem::file_size(shot) > 5000);
  CHECK(out["summary"] == "1 scenario compared: 1 differs, 0 same");
  CHECK(out["scenarios"] == json::array({{{"id", "drift"}, {"state", "3 differences"}}}));
  REQUIRE(out["differences"].size() == 3);
  CHECK(out["differences"][0]["layer"] == "behaviour");
  CHECK(out["differences"][0]["where"] == "subject 'app' stderr: ");
  CHECK(out["differences"][0]["message"] == "new line \"fatal:-boom\" after \"fixture starting pid=[PID:app]\"");
  CHECK(out["differences"][0]["detail"] == json::array({{{"cls", "ctx"}, {"text", "  fixture starting pid=[PID:app]"}},
                                                        {{"cls", "plus"}, {"text", "+ fatal:-boom"}}}));
  CHECK(out["differences"][1]["message"] == "new kind of line 'fatal:-boom' (1 line)");
  CHECK(out["differences"][2]["where"] == "subject 'app' stderr lines at level fatal: ");
  CHECK(out["visible_without_behaviour"] == 2);
  CHECK(out["visible_filtered"] == 1);
  CHECK(out["errors"].empty());
  CHECK(out["network"].empty());
}
