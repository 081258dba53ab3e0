// An HTTP fake with `threads:` end to end through `bbx run`, with curl as the client (HTTP
// and HTTPS): concurrent keep-alive clients answered, a sequence counted once across the
// threads, every request journaled by the checks after the stop, and a `within:` check
// woken by a request a worker thread journaled (nothing else wakes the run's loop here).
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kScenario = R"Y(name: http threads
fakes:
  api:
    http: {port: auto, threads: 2}
    routes:
      - match: {path: /seq}
        respond: [{status: 503}, {status: 200, body: ok}]
      - match: {path: /last}
        respond: {body: bye}
  secure:
    http: {port: auto, threads: auto, tls: true}
    routes:
      - match: {path: /s}
        respond: {body: safe}
subjects:
  client:
    command: [bash, CLIENT, "${fakes.api.url}", "${fakes.secure.url}", "${fakes.secure.ca_file}", OUT]
    sample: off
expect:
  - request: {fake: api, path: /seq, count: 200}
  - request: {fake: secure, path: /s, count: 20}
  - request: {fake: api, path: /last, count: 1, within: 30s}
)Y";

// Four clients of 50 keep-alive requests each at once, then 20 over HTTPS; a second later
// one last request, then silence (no output, no exit) while the `within:` check waits.
const char* kClient = R"SH(u=$1; s=$2; ca=$3; out=$4
many() { local n=$1; shift; for _ in $(seq "$n"); do printf '%s ' "$@"; done; }
for _ in 1 2 3 4; do curl -s -w '%{http_code}\n' $(many 50 -o /dev/null "$u/seq") >> "$out.$_" & done
wait
cat "$out".* > "$out.seq"
curl -s --cacert "$ca" -w '%{http_code}\n' $(many 20 -o /dev/null "$s/s") > "$out.tls"
sleep 1
curl -s -o /dev/null "$u/last"
exec sleep 100
)SH";

int count_lines(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  int n = 0;
  for (std::string l; std::getline(in, l);) n += l == line;
  return n;
}

}  // namespace

TEST_CASE("a threaded HTTP fake serves concurrent curl clients over HTTP and HTTPS, journaling every request") {
  auto dir = fresh_dir("http-threads");
  auto out = dir / "codes";
  write_file(dir / "client.sh", kClient);
  auto scenario = replaced(replaced(kScenario, "CLIENT", (dir / "client.sh").string()), "OUT", out.string());
  auto run = run_scenario_yaml(dir, scenario);
  INFO(run.result.out, run.result.err);
  REQUIRE(run.result.exit_code == 0);

  auto seq = read_file(dir / "codes.seq");
  CHECK(count_lines(seq, "503") == 1);  // the sequence's first answer, once for all threads
  CHECK(count_lines(seq, "200") == 199);
  CHECK(count_lines(read_file(dir / "codes.tls"), "200") == 20);

  auto requests = events_of(run.events, "http.request");
  std::map<std::uint64_t, int> status_of;  // request seq -> response status
  for (const auto& e : events_of(run.events, "http.response"))
    status_of[e.body.at("request_seq").get<std::uint64_t>()] = e.body.at("status").get<int>();
  const auto* passed = last_of(run.events, "assert.pass",  // the `within:` check on /last
                               [](const Event& e) { return e.body.dump().find("/last") != std::string::npos; });
  REQUIRE(requests.size() == 221);
  CHECK(status_of.size() == 221);
  const auto* first_seq = first_with(requests, "path", "/seq");
  const auto* last = last_of(requests, "http.request", [](const Event& e) { return e.body.at("path") == "/last"; });
  REQUIRE(first_seq);
  CHECK(first_seq->body.at("sequence") == 0);
  CHECK(status_of[first_seq->seq] == 503);

  // The `within:` check passed as the request was journaled, not at a later wake of the loop.
  REQUIRE(last);
  REQUIRE((passed && passed->t_ns > 0));
  CHECK(passed->t_ns - last->t_ns < 2'000'000'000);  // the fallback would be the 30 s deadline
}
