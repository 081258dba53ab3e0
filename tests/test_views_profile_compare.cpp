// Profiles compared (views/profile_compare.hpp): values as printed, subjects matched across
// inputs (by scenario and name; any two single-subject inputs), a subject one input lacks.
#include <doctest/doctest.h>

#include "journal/stored_journal.hpp"
#include "profile_test_support.hpp"
#include "views/profile_compare.hpp"

using namespace bbx;
using namespace bbx::views;

namespace {

SubjectProfile profile(const std::string& scenario, const std::string& subject) {
  SubjectProfile p;
  p.scenario = scenario;
  p.subject = subject;
  p.end_ns = 2'000'000'000;
  ProfileSample s;
  s.t_ns = 1'000'000'000;
  s.cpu_ms = 500;
  s.rss_bytes = 1536;
  p.samples.push_back(s);
  return p;
}

}  // namespace

TEST_CASE("format_measure: seconds, percent, binary bytes, counts; '-' unknown") {
  CHECK(format_measure(1.5, "s") == "1.500s");
  CHECK(format_measure(99.25, "%") == "99.2%");
  CHECK(format_measure(1536, "B") == "1.5 KiB");
  CHECK(format_measure(-3.0 * 1024 * 1024, "B") == "-3.0 MiB");
  CHECK(format_measure(100, "B") == "100 B");
  CHECK(format_measure(2048, "B/s") == "2.0 KiB/s");
  CHECK(format_measure(12, "count") == "12");
  CHECK(format_measure(4.75, "count") == "4.8");
  CHECK(format_measure(std::nullopt, "s") == "-");
}

TEST_CASE("match_subjects: two single-subject inputs pair whatever their names") {
  std::vector<CompareInput> in = {{"A", "a", {profile("profile make", "make")}}, {"B", "b", {profile("profile gmake", "gmake")}}};
  auto m = match_subjects(in);
  REQUIRE(m.size() == 1);
  CHECK(m[0].key == "make");
  CHECK(m[0].per_input[1]->subject == "gmake");
}

TEST_CASE("match_subjects: runs of several subjects pair by scenario and name; one an input lacks is said") {
  std::vector<CompareInput> in = {{"A", "a", {profile("s1", "app"), profile("s1", "db")}}, {"B", "b", {profile("s1", "app")}}};
  auto m = match_subjects(in);
  REQUIRE(m.size() == 2);
  CHECK(m[0].key == "s1 / app");
  CHECK(m[0].per_input[1] != nullptr);
  CHECK(m[1].key == "s1 / db");
  CHECK(m[1].per_input[1] == nullptr);
  auto text = compare_text(m[1], in);
  CHECK(text.rfind("subject s1 / db\n  (not in B)\n", 0) == 0);
  CHECK(text.find("B vs A") == std::string::npos);  // nothing to compare it with
  CHECK(text.find("\n  duration       2.000s   -  -    -\n") != std::string::npos);
  CHECK(text.find("CPU max") == std::string::npos);  // no interval in one sample: no input knows it
}
