// process: verdicts over recorded process trees.
#include <doctest/doctest.h>

#include "assert/process_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::ProcEntry;

namespace {

std::vector<ProcEntry> tree() {
  return {{10, "bbx-fixture", "bbx-fixture --listen 8080 --spawn-children 2"},
          {11, "fixture-child", "fixture-child"},
          {12, "fixture-child", "fixture-child"}};
}

model::ProcessExpectation spec(const std::string& name, model::Count c) {
  model::ProcessExpectation p;
  p.subject = "app";
  p.name = name;
  p.count = c;
  return p;
}

}  // namespace

TEST_CASE("processes are counted by name in the subject's tree") {
  auto r = assertions::judge_process(spec("fixture-child", {2, 2, {}, "2"}), tree(), here());
  CHECK(r.passed);
  CHECK(r.what == "processes of subject 'app' named 'fixture-child'");
  CHECK(r.expected == "exactly 2");
  CHECK(r.actual == "2: pid 11 fixture-child, pid 12 fixture-child");
}

TEST_CASE("a wrong count fails listing the whole tree") {
  auto r = assertions::judge_process(spec("fixture-child", {3, 3, {}, "3"}), tree(), here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "2: pid 11 fixture-child, pid 12 fixture-child; its tree has 3: pid 10 bbx-fixture, "
                    "pid 11 fixture-child, pid 12 fixture-child");
}

TEST_CASE("cmdline regex and not running") {
  auto s = spec("", {1, INT64_MAX, {}, ">= 1"});
  s.cmdline = model::TextMatch{"--listen 80[0-9]+", true, {}};
  auto r = assertions::judge_process(s, tree(), here());
  CHECK(r.passed);
  CHECK(r.what == "processes of subject 'app' with cmdline /--listen 80[0-9]+/");
  CHECK(r.actual == "1: pid 10 bbx-fixture");
  r = assertions::judge_process(s, {}, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "0; subject 'app' is not running");
  auto none = spec("fixture-gchild", {0, 0, {}, "0"});
  CHECK(assertions::judge_process(none, tree(), here()).passed);
}
