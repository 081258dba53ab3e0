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

TEST_CASE("user and threads are checked on every selected process, naming each that differs") {
  std::vector<ProcEntry> t{{10, "bbx-fixture", "bbx-fixture", 1000, "bbx", 3},
                           {11, "fixture-child", "fixture-child", 1000, "bbx", 1},
                           {12, "fixture-child", "fixture-child", 0, "root", 1}};
  auto s = spec("fixture-child", {2, 2, {}, "2"});
  s.user = "bbx";
  s.threads = model::Count{1, 1, {}, "1"};
  auto r = assertions::judge_process(s, t, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exactly 2, each with user bbx and threads exactly 1");
  CHECK(r.actual == "2: pid 11 fixture-child, pid 12 fixture-child; differs: pid 12 fixture-child: uid 0 (root)");
  auto root = spec("fixture-child", {2, 2, {}, "2"});
  root.user = std::to_string(0);
  root.threads = model::Count{2, INT64_MAX, {}, ">= 2"};
  r = assertions::judge_process(root, t, here());
  CHECK(r.actual == "2: pid 11 fixture-child, pid 12 fixture-child; differs: pid 11 fixture-child: uid 1000 (bbx), "
                    "1 thread; pid 12 fixture-child: 1 thread");
  auto main = spec("bbx-fixture", {1, 1, {}, "1"});
  main.user = "1000";  // a numeric uid matches too
  main.threads = model::Count{3, 3, {}, "3"};
  r = assertions::judge_process(main, t, here());
  CHECK(r.passed);
  CHECK(r.actual == "1: pid 10 bbx-fixture");
}

TEST_CASE("zombies are counted apart: never in count, user or threads; `zombies` checks them") {
  auto t = tree();
  t.push_back({13, "fixture-zombie", "", -1, "", 0, 'Z'});
  t.push_back({14, "fixture-zombie", "", -1, "", 0, 'Z'});
  auto s = spec("", {3, 3, {}, "3"});
  s.zombies = model::Count{0, 0, {}, "0"};
  auto r = assertions::judge_process(s, t, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exactly 3; zombies exactly 0");
  CHECK(r.actual == "3: pid 10 bbx-fixture, pid 11 fixture-child, pid 12 fixture-child; 2 zombies: pid 13 "
                    "fixture-zombie, pid 14 fixture-zombie");
  auto only = spec("fixture-zombie", {1, INT64_MAX, {}, ">= 1"});
  only.zombies = model::Count{2, 2, {}, "2"};
  only.count_set = false;  // `zombies` alone: the live count is not checked
  r = assertions::judge_process(only, t, here());
  CHECK(r.passed);
  CHECK(r.expected == "zombies exactly 2");
  CHECK(r.actual == "2 zombies: pid 13 fixture-zombie, pid 14 fixture-zombie");
  CHECK_FALSE(assertions::judge_process(spec("fixture-zombie", {1, INT64_MAX, {}, ">= 1"}), t, here()).passed);
}
