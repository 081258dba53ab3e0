// timeline.html's generator over a small recorded journal (views_test_support.hpp): one
// self-contained page (no external resource), the events as parseable JSON in which no
// subject text can close the script, lanes per source, paging that names every page, and
// the resource samples behind the plots.
// The page's behaviour in a browser is tested by tests/integration/test_timeline_html.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "journal/stored_journal.hpp"
#include "views/timeline_html.hpp"
#include "views_test_support.hpp"

using namespace bbx;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json script_json(const std::string& html, const std::string& id) {
  auto open = "<script id=\"" + id + "\" type=\"application/json\">";
  auto at = html.find(open);
  REQUIRE(at != std::string::npos);
  at += open.size();
  auto end = html.find("</script>", at);
  return json::parse(html.substr(at, end - at));
}

}  // namespace

TEST_CASE("timeline.html holds every event, lanes by source, and nothing that loads from elsewhere") {
  testing::JournalFile file("timeline_html");
  auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  auto r = views::write_timeline_html(j, file.dir() / "timeline.html", "two callers (failed)");
  REQUIRE(r.pages.size() == 1);
  CHECK(r.events == 27);
  auto html = slurp(r.pages[0]);
  CHECK(html.find("<title>two callers (failed) · bbx timeline</title>") != std::string::npos);
  CHECK(html.find("http://") == html.find("http://127.0.0.1"));  // only the journal's own URLs
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  auto rows = script_json(html, "bbx-data");
  REQUIRE(rows.size() == 27);
  CHECK(rows[4][5] == "listening on 127.0.0.1:8080 </script> & done");  // escaped as \u003c in the file
  CHECK(rows[7][6] == "front");   // from
  CHECK(rows[15][6] == "bbx");
  CHECK(rows[22][4] == 1);        // failure flag
  CHECK(rows[22][7] == json::array({8, 9}));  // the events it cites
  CHECK(rows[9][7] == json::array({8}));      // a response's request
  // The details, one per row, each on a line of its own (the page parses them lazily).
  auto details = script_json(html, "bbx-detail");
  REQUIRE(details.size() == 27);
  CHECK(details[4].get<std::string>().find("</script>") != std::string::npos);
  auto block = html.substr(html.find("<script id=\"bbx-detail\""));
  CHECK(std::count(block.begin(), block.begin() + static_cast<long>(block.find("</script>")), '\n') == 28);
  // They come last, after the page's script: the first screen is drawn before they are read.
  CHECK(html.find("<script id=\"bbx-detail\"") > html.rfind("<script>"));
  CHECK(block.substr(block.find("</script>")) == "</script>\n</body></html>\n");
  CHECK(!std::filesystem::exists(file.dir() / "timeline.html.details.tmp"));
  auto meta = script_json(html, "bbx-meta");
  std::vector<std::string> lanes;
  for (const auto& l : meta["lanes"]) lanes.push_back(l["name"]);
  CHECK(std::find(lanes.begin(), lanes.end(), "front:stderr") != lanes.end());
  CHECK(std::find(lanes.begin(), lanes.end(), "fake:api") != lanes.end());
  CHECK(std::find(lanes.begin(), lanes.end(), "steps") != lanes.end());
  CHECK(std::find(lanes.begin(), lanes.end(), "assertions") != lanes.end());
  CHECK(meta["pages"].size() == 1);
}

TEST_CASE("a journal over page_events is paged, every page naming all pages and their seqs") {
  testing::JournalFile file("timeline_html_pages");
  auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  auto r = views::write_timeline_html(j, file.dir() / "timeline.html", "t", {.page_events = 10});
  REQUIRE(r.pages.size() == 3);
  CHECK(r.pages[1].filename() == "timeline-2.html");
  std::size_t total = 0;
  for (std::size_t i = 0; i < r.pages.size(); ++i) {
    auto html = slurp(r.pages[i]);
    auto rows = script_json(html, "bbx-data");
    auto meta = script_json(html, "bbx-meta");
    total += rows.size();
    CHECK(meta["page"] == i + 1);
    CHECK(meta["pages"][2]["first"] == 21);
    CHECK(meta["pages"][2]["last"] == 27);
    CHECK(rows[0][1] == i * 10 + 1);
  }
  CHECK(total == 27);
  views::write_timeline_html(j, file.dir() / "timeline.html", "t");
  CHECK(!std::filesystem::exists(file.dir() / "timeline-2.html"));
}

TEST_CASE("a body longer than detail_bytes is cut in the tooltip with a pointer to the journal line") {
  testing::JournalFile file("timeline_html_detail");
  file.add(0, {"subject", "app", 3}, "output.line", {{"stream", "stdout"}, {"line", std::string(2000, 'x')}});
  file.close();
  journal::StoredJournal j(file.path());
  auto r = views::write_timeline_html(j, file.dir() / "timeline.html", "t", {.detail_bytes = 100});
  auto html = slurp(r.pages[0]);
  auto rows = script_json(html, "bbx-data");
  std::string detail = script_json(html, "bbx-detail")[0];
  CHECK(detail.find("more bytes: the whole event is line 1 of events.jsonl") != std::string::npos);
  CHECK(rows[0][5].get<std::string>().size() < 2000);  // the summary is capped too ("…")
}

TEST_CASE("the resource samples of a page are its plots' data: rates computed, unknown fields null, across pages") {
  testing::JournalFile file("timeline_html_resources");
  file.add(0, {"step", "sleep", 0}, "step.begin", {{"where", "t.yaml:3:5"}});
  file.add(100, {"subject", "spin", 5}, "resource.sample",
           {{"rss_bytes", 1000}, {"cpu_ms", 0}, {"fds", 4}, {"threads", 2}, {"processes", 1}, {"rss_peak_bytes", 2000},
            {"read_bytes", 0}, {"write_bytes", 0}, {"pss_bytes", 900}});
  file.add(150, {"subject", "old", 6}, "resource.sample", {{"rss_bytes", 500}, {"cpu_ms", 7}, {"fds", 3}, {"threads", 1}, {"processes", 1}});
  file.add(200, {"subject", "spin", 5}, "resource.sample",
           {{"rss_bytes", 3000}, {"cpu_ms", 100}, {"fds", 4}, {"threads", 2}, {"processes", 1}, {"rss_peak_bytes", 3000},
            {"read_bytes", 5000}, {"write_bytes", 100}});
  file.add(300, {"subject", "spin", 5}, "resource.sample",
           {{"rss_bytes", 3000}, {"cpu_ms", 150}, {"fds", 4}, {"threads", 2}, {"processes", 1}});
  file.close();
  journal::StoredJournal j(file.path());
  auto r = views::write_timeline_html(j, file.dir() / "timeline.html", "t", {.page_events = 4});
  REQUIRE(r.pages.size() == 2);
  auto html = slurp(r.pages[0]);
  CHECK(script_json(html, "bbx-meta")["sampled"] == json::array({"spin", "old"}));
  auto samples = script_json(html, "bbx-resources");
  REQUIRE(samples.size() == 3);
  // [subject, t_us, seq, cpu %, rss, rss peak, pss, read B/s, write B/s, fds, threads, processes]
  CHECK(samples[0] == json::parse("[0,100000,2,null,1000,2000,900,null,null,4,2,1]"));
  CHECK(samples[1] == json::parse("[1,150000,3,null,500,null,null,null,null,3,1,1]"));
  CHECK(samples[2] == json::parse("[0,200000,4,100,3000,3000,null,50000,1000,4,2,1]"));
  // The next page's first sample has its rate from the sample on the page before.
  auto next = script_json(slurp(r.pages[1]), "bbx-resources");
  REQUIRE(next.size() == 1);
  CHECK(next[0] == json::parse("[0,300000,5,50,3000,null,null,null,null,4,2,1]"));
  CHECK(script_json(slurp(r.pages[1]), "bbx-meta")["sampled"] == json::array({"spin"}));
  CHECK(!std::filesystem::exists(file.dir() / "timeline.html.resources.tmp"));
}
