// for_each_record: each line's envelope read in one pass (a name given twice reads as its
// last value, as everywhere in the comparison's JSON views), its body viewed; a bad line
// with lines after it is corruption, a bad last line the tail problem.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bbx/error.hpp"
#include "compare/journal_record.hpp"

using namespace bbx::compare;

namespace {

std::filesystem::path journal_of(const std::string& name, const std::string& text) {
  auto p = std::filesystem::temp_directory_path() / ("bbx_test_journal_record_" + name + ".jsonl");
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

struct Seen {
  std::uint64_t seq;
  std::int64_t t_ns;
  std::string kind, name, type, body;
  long long pid;
};

std::vector<Seen> read_all(const std::filesystem::path& p, bbx::journal::TailProblem* tail = nullptr) {
  std::vector<Seen> out;
  auto t = for_each_record(p, [&](const Record& r) {
    out.push_back({r.seq, r.t_ns, r.source.kind, r.source.name, r.type, view(r.body, "line").empty() ? str(r.body, "n") : std::string(view(r.body, "line")), r.source.pid});
  });
  if (tail) *tail = t;
  return out;
}

}  // namespace

TEST_CASE("for_each_record reads the envelope and views the body, in any order of names, the last of duplicates") {
  auto p = journal_of("envelope",
                      R"({"seq":1,"t_ns":10,"wall":"w","source":{"kind":"subject","name":"app","pid":7},"type":"output.line","body":{"line":"hello"},"attrs":{}})"
                      "\n"
                      // names in another order, a duplicate type and name (the last counts), extra names
                      R"({"body":{"n":3},"type":"mark","attrs":{},"source":{"pid":9,"name":"first","extra":1,"name":"step","kind":"step"},"t_ns":20,"seq":2,"type":"http.request"})"
                      "\n"
                      // no body: an empty one
                      R"({"seq":3,"t_ns":30,"wall":"w","source":{"kind":"runner","name":"","pid":0},"type":"scenario.end"})"
                      "\n");
  auto seen = read_all(p);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].seq == 1);
  CHECK(seen[0].t_ns == 10);
  CHECK(seen[0].kind == "subject");
  CHECK(seen[0].name == "app");
  CHECK(seen[0].pid == 7);
  CHECK(seen[0].type == "output.line");
  CHECK(seen[0].body == "hello");
  CHECK(seen[1].seq == 2);
  CHECK(seen[1].t_ns == 20);
  CHECK(seen[1].type == "http.request");
  CHECK(seen[1].name == "step");
  CHECK(seen[1].kind == "step");
  CHECK(seen[1].pid == 9);
  CHECK(seen[1].body == "3");
  CHECK(seen[2].type == "scenario.end");
  CHECK(seen[2].body.empty());
  std::filesystem::remove(p);
}

TEST_CASE("for_each_record: an envelope field missing or of the wrong kind is corruption, or the tail when last") {
  const std::string good =
      R"({"seq":1,"t_ns":1,"wall":"w","source":{"kind":"runner","name":"","pid":0},"type":"mark","body":{}})";
  for (const std::string bad : {
           R"({"seq":2,"t_ns":1,"wall":"w","source":{"kind":"runner","name":""},"type":"mark","body":{}})",       // no pid
           R"({"seq":2,"t_ns":1,"wall":"w","source":{"kind":"runner","name":"","pid":0},"body":{}})",           // no type
           R"({"seq":"2","t_ns":1,"wall":"w","source":{"kind":"runner","name":"","pid":0},"type":"m"})",        // seq a string
           R"({"seq":2,"t_ns":1,"wall":"w","source":[1],"type":"m"})",                                        // source not an object
           R"({"seq":2,"t_ns":1,"wall":"w","source":{"kind":"runner","name":"","pid":0},"type":"m","seq":null})",  // the last seq counts
       }) {
    auto p = journal_of("bad", good + "\n" + bad + "\n" + good + "\n");
    try {
      read_all(p);
      FAIL("accepted: " << bad);
    } catch (const bbx::Error& e) {
      CHECK(e.formatted().find(p.string() + ":2:1: not an event: seq, t_ns, source (kind, name, pid) and type are required") == 0);
    }
    auto last = journal_of("bad_last", good + "\n" + bad + "\n");
    bbx::journal::TailProblem tail;
    CHECK(read_all(last, &tail).size() == 1);
    CHECK(tail.line == 2);
    CHECK(tail.what.rfind("not an event", 0) == 0);
    std::filesystem::remove(p);
    std::filesystem::remove(last);
  }
}
