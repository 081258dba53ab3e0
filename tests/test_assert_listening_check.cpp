// listening: verdicts over recorded probe results, including dual-stack semantics.
#include <doctest/doctest.h>

#include <netinet/in.h>

#include "assert/listening_check.hpp"
#include "assert_test_support.hpp"

using namespace bbx;
using namespace bbx::testing;
using bbx::assertions::ListeningFacts;
using bbx::probes::ListeningSocket;

namespace {

ListeningSocket sock(int family, const std::string& addr, int port, std::uint64_t inode, bool v6only = false) {
  ListeningSocket s;
  s.family = family;
  s.address = addr;
  s.port = static_cast<std::uint16_t>(port);
  s.inode = inode;
  s.v6only_known = family == AF_INET6;
  s.v6only = v6only;
  return s;
}

model::ListeningExpectation spec(int port, const std::string& address = "", bool listening = true) {
  model::ListeningExpectation l;
  l.subject = "app";
  l.port = model::IntField{port};
  l.address = address;
  l.listening = listening;
  return l;
}

}  // namespace

TEST_CASE("a socket of the subject's tree on the port passes") {
  ListeningFacts f{{sock(AF_INET, "127.0.0.1", 8080, 11)}, true, std::set<std::uint64_t>{11}, "sock_diag"};
  auto r = assertions::judge_listening(spec(8080), f, here());
  CHECK(r.passed);
  CHECK(r.what == "subject 'app' listening on tcp port 8080");
  CHECK(r.expected == "a listening socket on tcp port 8080");
  CHECK(r.actual == "tcp 127.0.0.1:8080");
}

TEST_CASE("dual-stack :: covers 127.0.0.1, v6only :: does not") {
  ListeningFacts f{{sock(AF_INET6, "::", 8080, 11)}, true, std::set<std::uint64_t>{11}, "sock_diag"};
  CHECK(assertions::judge_listening(spec(8080, "127.0.0.1"), f, here()).passed);
  f.sockets = {sock(AF_INET6, "::", 8080, 11, true)};
  auto r = assertions::judge_listening(spec(8080, "127.0.0.1"), f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.what == "subject 'app' listening on tcp port 8080 at 127.0.0.1");
  CHECK(r.expected == "a listening socket on tcp port 8080 covering 127.0.0.1");
  CHECK(r.actual == "tcp [::]:8080 v6only does not cover 127.0.0.1");
}

TEST_CASE("127.0.0.1 does not satisfy 0.0.0.0, and ::1 is not IPv4") {
  ListeningFacts f{{sock(AF_INET, "127.0.0.1", 8080, 11)}, true, std::set<std::uint64_t>{11}, "sock_diag"};
  CHECK(assertions::judge_listening(spec(8080, "0.0.0.0"), f, here()).actual == "tcp 127.0.0.1:8080 does not cover 0.0.0.0");
  f.sockets = {sock(AF_INET6, "::1", 8080, 11)};
  CHECK_FALSE(assertions::judge_listening(spec(8080, "127.0.0.1"), f, here()).passed);
  CHECK(assertions::judge_listening(spec(8080, "::1"), f, here()).passed);
}

TEST_CASE("a socket held by another process and the subject's own ports are named") {
  ListeningFacts f{{sock(AF_INET, "127.0.0.1", 8080, 99), sock(AF_INET, "127.0.0.1", 9090, 11)}, true,
                   std::set<std::uint64_t>{11}, "sock_diag"};
  auto r = assertions::judge_listening(spec(8080), f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "nothing of subject 'app' listens on tcp port 8080; held by another process: tcp 127.0.0.1:8080; "
                    "subject 'app' listens on: tcp 127.0.0.1:9090");
}

TEST_CASE("absent: passes when nothing listens, fails naming the socket") {
  ListeningFacts f{{}, true, std::set<std::uint64_t>{}, "sock_diag"};
  auto r = assertions::judge_listening(spec(8080, "", false), f, here());
  CHECK(r.passed);
  CHECK(r.what == "no listening socket of subject 'app' on tcp port 8080");
  CHECK(r.expected == "no listening socket on tcp port 8080");
  CHECK(r.actual == "nothing of subject 'app' listens on tcp port 8080; subject 'app' listens on no tcp port");
  f.sockets = {sock(AF_INET, "0.0.0.0", 8080, 5)};
  f.owned = std::set<std::uint64_t>{5};
  r = assertions::judge_listening(spec(8080, "", false), f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "unexpectedly listening on tcp 0.0.0.0:8080");
}

TEST_CASE("a subject that is not running listens on nothing") {
  ListeningFacts f{{}, false, std::nullopt, "sock_diag"};
  auto r = assertions::judge_listening(spec(8080), f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.actual == "subject 'app' is not running");
}

TEST_CASE("nothing: every socket of the subject fails it; only: each must be at one of the addresses") {
  ListeningFacts f{{sock(AF_INET, "127.0.0.1", 8080, 11), sock(AF_INET, "0.0.0.0", 9090, 12),
                    sock(AF_INET, "0.0.0.0", 7070, 99)},
                   true, std::set<std::uint64_t>{11, 12}, "sock_diag"};
  model::ListeningExpectation nothing;
  nothing.subject = "app";
  nothing.nothing = true;
  auto r = assertions::judge_listening(nothing, f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.what == "subject 'app' listening on no tcp port");
  CHECK(r.expected == "no listening tcp sockets");
  CHECK(r.actual == "listening on tcp 0.0.0.0:9090, tcp 127.0.0.1:8080");
  nothing.port = model::IntField{7070};  // another process's socket: not the subject's
  CHECK(assertions::judge_listening(nothing, f, here()).passed);

  model::ListeningExpectation only;
  only.subject = "app";
  only.only = {"127.0.0.1"};
  r = assertions::judge_listening(only, f, here());
  CHECK_FALSE(r.passed);
  CHECK(r.what == "subject 'app' listening on tcp ports only at 127.0.0.1");
  CHECK(r.expected == "only listening tcp sockets on 127.0.0.1");
  CHECK(r.actual == "also listening on tcp 0.0.0.0:9090");
  only.port = model::IntField{8080};
  r = assertions::judge_listening(only, f, here());
  CHECK(r.passed);
  CHECK(r.actual == "listening on tcp 127.0.0.1:8080");
}
