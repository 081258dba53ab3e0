// file: checks against files written in a temp sandbox.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <unistd.h>

#include <fstream>
#include <regex>

#include "assert/file_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;

namespace {

std::filesystem::path sandbox_with(const std::string& name, const std::string& file, const std::string& text) {
  auto dir = unit_temp_dir(name);
  std::filesystem::create_directories((dir / file).parent_path());
  std::ofstream(dir / file) << text;
  ::chmod((dir / file).c_str(), 0640);
  return dir;
}

model::FileExpectation spec(const std::string& path) {
  model::FileExpectation f;
  f.path = path;
  return f;
}

}  // namespace

TEST_CASE("digests are the standard ones") {
  auto dir = sandbox_with("file-digest", "a.txt", "abc");
  CHECK(assertions::file_digest(dir / "a.txt", "sha256") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(assertions::file_digest(dir / "a.txt", "sha1") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(assertions::file_digest(dir / "a.txt", "md5") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK_FALSE(assertions::file_digest(dir / "nope", "md5").has_value());
}

TEST_CASE("exists, mode, size and digest pass together and fail per aspect") {
  auto dir = sandbox_with("file-aspects", "out/a.txt", "abc");
  auto f = spec("out/a.txt");
  f.mode = 0640;
  f.size = model::Count{3, 3, {}, "3"};
  f.sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  auto r = assertions::check_file(f, dir, here());
  CHECK(r.passed);
  CHECK(r.what == "file 'out/a.txt'");
  CHECK(r.expected == "exists, mode 0640, size exactly 3 bytes, sha256 " + f.sha256);
  f.mode = 0644;
  f.md5 = "00000000000000000000000000000000";
  r = assertions::check_file(f, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "mode 0644, md5 00000000000000000000000000000000");
  CHECK(r.actual == "mode 0640, md5 900150983cd24fb0d6963f7d28e17f72; it holds 3 bytes: \"abc\"");
}

TEST_CASE("absent and missing files") {
  auto dir = unit_temp_dir("file-absent");
  auto f = spec("gone.txt");
  auto r = assertions::check_file(f, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "exists");
  CHECK(r.actual == "absent");
  f.exists = false;
  CHECK(assertions::check_file(f, dir, here()).passed);
}

TEST_CASE("contents equal and match") {
  auto dir = sandbox_with("file-contents", "c.txt", "hello\nworld\n");
  auto f = spec("c.txt");
  f.equals = "hello\n";
  auto r = assertions::check_file(f, dir, here());
  CHECK(r.expected == "contents \"hello\\n\"");
  CHECK(r.actual == "contents differ at byte 6 (line 2, column 1): expected end of file, got \"world\\n\"");
  f.equals.reset();
  f.match = model::TextMatch{"^world$", true, {}};
  CHECK_FALSE(assertions::check_file(f, dir, here()).passed);  // ECMAScript: ^ and $ anchor the whole text
  f.match = model::TextMatch{"world", false, {}};
  CHECK(assertions::check_file(f, dir, here()).passed);
}

TEST_CASE("values at JSON and YAML paths") {
  const std::string doc = R"({"listen": 8080, "statsd": "127.0.0.1:8125", "tags": ["a", "b"]})";
  CHECK(assertions::json_value_at(doc, "listen") == "8080");
  CHECK(assertions::json_value_at(doc, "/statsd") == "127.0.0.1:8125");
  CHECK(assertions::json_value_at(doc, "tags.1") == "b");
  CHECK(assertions::json_value_at(doc, "tags") == "[\"a\",\"b\"]");
  CHECK(assertions::json_value_at(doc, "nope") == "error: no value at nope");
  CHECK(assertions::json_value_at("{", "a") == "error: not valid JSON");
  CHECK(assertions::yaml_value_at("a:\n  b: [1, 2]\n  c: x\n", "a.b.1") == "2");
  CHECK(assertions::yaml_value_at("a:\n  c: x\n", "a.c") == "x");
  CHECK(assertions::yaml_value_at("a:\n  c: x\n", "a.d") == "error: no value at a.d");
  auto dir = sandbox_with("file-json", "cfg.json", doc);
  auto f = spec("cfg.json");
  f.json_path = "listen";
  f.value = "9090";
  auto r = assertions::check_file(f, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "json listen = \"9090\"");
  CHECK(r.actual == "json listen = \"8080\"");
}

TEST_CASE("owner and group match a numeric id or a name, shown as 'id (name)'") {
  auto dir = sandbox_with("file-owner", "o.txt", "x");
  auto uid = std::to_string(::getuid());
  auto gid = std::to_string(::getgid());
  auto f = spec("o.txt");
  f.owner = uid;
  f.group = gid;
  auto r = assertions::check_file(f, dir, here());
  CHECK(r.passed);
  CHECK(r.expected == "exists, owner " + uid + ", group " + gid);
  CHECK(r.actual.rfind("exists, owner " + uid, 0) == 0);
  // By name: the name the failure shows for the owner is accepted.
  f.owner = "no-such-user-bbx";
  f.group = "4242424";
  r = assertions::check_file(f, dir, here());
  CHECK_FALSE(r.passed);
  CHECK(r.expected == "owner no-such-user-bbx, group 4242424");
  std::smatch m;
  REQUIRE(std::regex_match(r.actual, m, std::regex("owner " + uid + " \\(([^)]+)\\), group " + gid + "( \\(.+\\))?")));
  f.owner = m[1].str();
  f.group = gid;
  CHECK(assertions::check_file(f, dir, here()).passed);
}
