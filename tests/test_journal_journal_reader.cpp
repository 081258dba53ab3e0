#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "journal/journal.hpp"
#include "journal/journal_reader.hpp"

using namespace bbx::journal;

namespace {
std::filesystem::path path_for(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit";
  std::filesystem::create_directories(dir);
  return dir / (name + ".jsonl");
}
}  // namespace

TEST_CASE("reads back what the journal wrote") {
  auto p = path_for("roundtrip");
  {
    Journal j(p);
    j.append({"subject", "app", 7}, "output.line", {{"stream", "stderr"}, {"line", "x\ty"}});
    j.append({"fake", "api", 0}, "http.request", {{"method", "GET"}});
  }
  auto c = read_journal(p);
  REQUIRE(c.events.size() == 2);
  CHECK_FALSE(c.truncated_tail);
  CHECK(c.events[0].source == bbx::EventSource{"subject", "app", 7});
  CHECK(c.events[0].body["line"] == "x\ty");
  CHECK(c.events[1].seq == 2);
}

TEST_CASE("a truncated last line is reported, and every complete event kept") {
  auto p = path_for("truncated");
  {
    Journal j(p);
    j.append({"r", "r", 0}, "a", {});
    j.append({"r", "r", 0}, "b", {});
  }
  { std::ofstream(p, std::ios::app) << "{\"seq\":3,\"t_ns\":5,\"wa"; }
  auto c = read_journal(p);
  CHECK(c.events.size() == 2);
  CHECK(c.truncated_tail);
  CHECK(c.tail_problem.find("line 3") != std::string::npos);
}

TEST_CASE("a corrupt line in the middle is an error with its position") {
  auto p = path_for("corrupt");
  {
    Journal j(p);
    j.append({"r", "r", 0}, "a", {});
  }
  { std::ofstream(p, std::ios::app) << "garbage\n{\"also\": 1}\n"; }
  try {
    read_journal(p);
    FAIL("expected an error");
  } catch (const bbx::Error& e) {
    CHECK(e.formatted().find(p.string() + ":2:1: not JSON") == 0);
  }
}

TEST_CASE("event lines keep their key order and escape control characters") {
  bbx::Event e;
  e.seq = 1;
  e.type = "output.line";
  e.source = {"subject", "a", 1};
  e.body = {{"line", std::string("bell\x07")}};
  auto line = bbx::event_to_json_line(e);
  CHECK(line.rfind("{\"seq\":1,\"t_ns\":0,\"wall\":", 0) == 0);
  CHECK(line.find("\\u0007") != std::string::npos);
  CHECK(line.back() == '\n');
  CHECK(bbx::event_from_json_line(line).body["line"] == "bell\x07");
}

TEST_CASE("event envelope strings that need escaping round-trip; invalid UTF-8 is replaced") {
  bbx::Event e;
  e.seq = 7;
  e.t_ns = -5;
  e.wall = "2026-11-22T05:40:01.123456Z";
  e.type = "step.begin";
  e.source = {"step", "http GET \"/a\\b\"\t\xc3\xa9", -1};
  e.attrs = {{"k", "v"}};
  auto line = bbx::event_to_json_line(e);
  CHECK(line == "{\"seq\":7,\"t_ns\":-5,\"wall\":\"2026-11-22T05:40:01.123456Z\",\"source\":{\"kind\":\"step\","
                "\"name\":\"http GET \\\"/a\\\\b\\\"\\t\xc3\xa9\",\"pid\":-1},\"type\":\"step.begin\",\"body\":{},"
                "\"attrs\":{\"k\":\"v\"}}\n");
  auto back = bbx::event_from_json_line(line);
  CHECK(back.source == e.source);
  CHECK(back.t_ns == -5);
  e.source.name = "bad \xff byte";
  CHECK(bbx::event_from_json_line(bbx::event_to_json_line(e)).source.name == "bad \xef\xbf\xbd byte");
}
