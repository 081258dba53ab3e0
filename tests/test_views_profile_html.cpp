// profile.html (views/profile_html.hpp) as text: self-contained (no external resource), its
// data inside the page with no "</" that could end the script early, every chart present.
// What a browser draws of it: tests/integration/test_profile_html.cpp.
#include <doctest/doctest.h>

#include "journal/stored_journal.hpp"
#include "profile_test_support.hpp"
#include "views/profile_html.hpp"

using namespace bbx;
using namespace bbx::views;

TEST_CASE("profile.html: one self-contained page holding its data, safe inside <script>") {
  testing::JournalFile file("profile_html_page");
  testing::write_profile_journal(file);
  journal::StoredJournal j(file.path());
  auto p = read_profiles(j).at(0);
  p.samples[1].procs[1].comm = "</script><b>x";  // a process may be named anything
  std::vector<CompareInput> inputs{{"A", "dir", {p}}};
  auto html = profile_html("bbx profile: build", inputs, match_subjects(inputs));
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* external : {"src=\"http", "href=\"http", "src=\"//", "@import", "url("})
    CHECK_MESSAGE(html.find(external) == std::string::npos, external);
  const std::string open = "id=\"profile-data\">";
  auto data_at = html.find(open);
  REQUIRE(data_at != std::string::npos);
  data_at += open.size();
  auto data = html.substr(data_at, html.find("</script>", data_at) - data_at);
  auto parsed = nlohmann::json::parse(data);
  CHECK(parsed["title"] == "bbx profile: build");
  std::vector<std::string> charts;
  for (const auto& c : parsed["groups"][0]["charts"]) charts.push_back(c["id"]);
  CHECK(charts == std::vector<std::string>{"cpu", "memory", "io", "fds", "threads", "ctx"});
  std::vector<std::string> cpu_lines;
  for (const auto& l : parsed["groups"][0]["charts"][0]["lines"]) cpu_lines.push_back(l["label"]);
  CHECK(cpu_lines == std::vector<std::string>{"total", "</script><b>x 101", "ld 102", "make 100"});
  CHECK(parsed["groups"][0]["charts"][0]["lines"][0]["v"] == nlohmann::json::array({nullptr, 100.0, 50.0, 0.0}));
}

TEST_CASE("profile.html: a long profile is drawn a bucket of samples per point, each its highest: no peak lost") {
  SubjectProfile p;
  p.subject = "long";
  for (int i = 0; i < 10001; ++i) {
    ProfileSample s;
    s.t_ns = std::int64_t(i) * 100'000'000;
    s.rss_bytes = i == 7777 ? 900 : 100;  // one sample's spike
    p.samples.push_back(s);
  }
  std::vector<CompareInput> inputs{{"value", "dir", {p}}};
  auto html = profile_html("long", inputs, match_subjects(inputs));
  const std::string open = "id=\"profile-data\">";
  auto at = html.find(open) + open.size();
  auto data = nlohmann::json::parse(html.substr(at, html.find("</script>", at) - at));
  const auto& rss = data["groups"][0]["charts"][1]["lines"][0];
  REQUIRE(rss["label"] == "RSS");
  CHECK(rss["bucket"] == 3);
  CHECK(rss["v"].size() == 3334);
  auto spike = std::find(rss["v"].begin(), rss["v"].end(), nlohmann::json(900));
  REQUIRE(spike != rss["v"].end());
  CHECK(rss["t"][std::size_t(spike - rss["v"].begin())] == 777.7);  // at its own time
}
