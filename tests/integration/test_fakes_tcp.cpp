// The generic TCP fake end to end through `bbx run`, with socat (Debian package, installed
// by scripts/setup) as the client: line and length-prefixed framing, greeting, templated
// replies, delay and every fault, half-close, non-UTF-8 bytes, oversize and cut-short
// messages; `message` expectations passing and failing with their exact text.
#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>

#include "fakes/http/capture.hpp"
#include "harness.hpp"

using namespace bbx::testing;

namespace {

bool have_socat() { return std::system("command -v socat >/dev/null 2>&1") == 0; }

}  // namespace

TEST_CASE("the TCP fake answers socat by script and journals every connection and message") {
  REQUIRE_MESSAGE(have_socat(), "socat is not installed: run scripts/setup");
  auto run = run_scenario_file("tests/cases/passing/fakes_tcp.yaml", fresh_dir("runs-fakes-tcp-pass"));
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  const auto& all = run.events;

  auto kv = events_of(all, "tcp.message", "kv");
  REQUIRE(kv.size() == 8);  // 6 in the session, PING unterminated, CRASH
  const auto* get = first_with(kv, "data", "GET apple");
  REQUIRE(get);
  CHECK(get->body["conn"] == 1);
  CHECK(get->body["index"] == 1);
  CHECK(get->body["bytes"] == 9);
  CHECK(get->body["reply"] == 0);
  CHECK(get->body["reply_data"] == "VALUE apple\r\n");
  CHECK(std::regex_match(get->body["client"].get<std::string>(), std::regex("127\\.0\\.0\\.1:[0-9]+")));
  CHECK(first_with(kv, "data", "HANG")->body["fault"] == "never");
  CHECK(first_with(kv, "data", "PING")->body["delay_ms"] == 100);
  CHECK(kv[6].body["unterminated"] == true);
  CHECK(kv[6].body["reply_data"] == "PONG\r\n");

  auto connects = events_of(all, "tcp.connect", "kv");
  CHECK(connects.size() == 3);
  auto closes = events_of(all, "tcp.close", "kv");
  REQUIRE(closes.size() == 3);
  CHECK(closes[0].body["by"] == "fake");
  CHECK(closes[0].body["fault"] == "close");
  CHECK(closes[0].body["messages"] == 6);
  CHECK(closes[0].body["unsent"] == 1);  // GET late came after QUIT
  CHECK(closes[1].body["by"] == "client");
  CHECK(closes[2].body["fault"] == "reset");

  auto bin = events_of(all, "tcp.message", "bin");
  REQUIRE(bin.size() == 4);
  CHECK(bin[1].body["data"] == "\\xFF");
  CHECK(bin[1].body["data_base64"] == "/w==");
  CHECK(bin[1].body["reply"] == -1);
  CHECK(bin[2].body["truncated"] == true);
  CHECK(bin[2].body["bytes"] == 20);
  CHECK(bin[2].body["data"] == std::string(16, 'a'));  // the head: at most max_message
  CHECK(bin[2].body["sha256"] == bbx::fakes::sha256_hex(std::string(20, 'a')));
  CHECK(bin[2].body["reply"] == -1);
  auto errors = events_of(all, "tcp.framing_error", "bin");
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].body["error"] == "message of 20 bytes exceeds max_message (16 bytes)");
  CHECK(errors[0].body["index"] == bin[2].body["index"]);
  CHECK(errors[1].body["error"] == "stream ended after 3 of 9 message bytes");
  CHECK(errors[1].body["data"] == "abc");
  // `within` waited for a message sent a second after the steps had ended.
  auto late = events_of(all, "tcp.message", "late");
  REQUIRE(late.size() == 1);
  const auto* steps_done = last_of(all, "step.end");
  CHECK(late[0].t_ns > (steps_done ? steps_done->t_ns : 0));
  const auto* passed = last_of(all, "assert.pass", [](const Event& e) {
    return e.body["what"] == "message at fake 'late' contains \"LATE\"";
  });
  CHECK((passed && passed->seq > late[0].seq));
  auto server = events_of(all, "tcp.server", "bin");
  REQUIRE(server.size() == 1);
  CHECK(server[0].body["framing"] == "length_prefix 2 big");
}

TEST_CASE("failing message expectations name the closest messages, the extra ones and the order") {
  REQUIRE_MESSAGE(have_socat(), "socat is not installed: run scripts/setup");
  auto run = run_scenario_file("tests/cases/failing/fakes_tcp.yaml", fresh_dir("runs-fakes-tcp-fail"));
  const std::string f = "    tests/cases/failing/fakes_tcp.yaml:";
  check_console(run.result, 1, {
      f + "11:14: message at fake 'kv' contains \"GET key\"\n"
          "      expected: at least 1 matching\n"
          "      actual:   0 matching; 3 other messages at 'kv'; closest: \"GET kex\" (seq N, conn 1), "
          "\"QUIT\" (seq N, conn 1), \"PING\" (seq N, conn 1)\n",
      f + "12:14: message at fake 'kv' contains \"PING\"\n"
          "      expected: exactly 0 matching\n"
          "      actual:   1 matching: \"PING\" (seq N, conn 1)\n",
      f + "13:12: sequence of 2 events\n"
          "      expected: in order: message at fake 'kv' contains \"QUIT\", then message at fake 'kv' contains "
          "\"PING\"\n"
          "      actual:   matched 1 (seq N); item 2 (message at fake 'kv' contains \"PING\") did not follow seq N; "
          "it occurred only before, at seq N\n",
  });
}

TEST_CASE("a TCP fake option mistake is reported at its position before anything runs") {
  auto dir = fresh_dir("fakes-tcp-malformed");
  auto file = write_file(dir / "s.yaml", R"(name: bad tcp
fakes:
  kv:
    tcp: {framing: {length_prefix: 2, delimiter: "\n"}}
)");
  auto r = run_bbx({"validate", file.string()});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("s.yaml:4:20: fake 'kv'.tcp.framing: give 'delimiter' or 'length_prefix', not both or neither") !=
        std::string::npos);
}

TEST_CASE("the end of the run closes a connection whose reply is still delayed, counting it unsent") {
  REQUIRE_MESSAGE(have_socat(), "socat is not installed: run scripts/setup");
  auto run = run_scenario_yaml(fresh_dir("fakes-tcp-stop"), R"(name: tcp stop
fakes:
  kv:
    tcp: {port: auto}
    replies: [{reply: "late\n", delay: 30s}]
subjects:
  client:
    shell: "printf 'PING\\n' | socat -t 60 - TCP:${fakes.kv.url}"
expect:
  - message: {fake: kv, contains: PING, within: 10s}
)");
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);
  CHECK(run.seconds < 20);  // not held by the 30 s delay
  auto closes = events_of(run.events, "tcp.close", "kv");
  REQUIRE(closes.size() == 1);
  CHECK(closes[0].body["by"] == "stop");
  CHECK(closes[0].body["unsent"] == 1);
}
