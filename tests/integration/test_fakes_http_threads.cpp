// An HTTP fake with `threads:` end to end through `bbx run`, with curl as the client (HTTP
// and HTTPS): concurrent keep-alive clients answered, a sequence counted once across the
// threads, every request journaled by the checks after the stop, and a `within:` check
// woken by a request a worker thread journaled (nothing else wakes the run's loop here).
#include <doctest/doctest.h>

#include <map>
#include <sstream>

#include "harness.hpp"
#include "read_journal.hpp"

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
  std::string scenario = kScenario;
  scenario.replace(scenario.find("CLIENT"), 6, (dir / "client.sh").string());
  scenario.replace(scenario.find("OUT"), 3, out.string());
  auto file = write_file(dir / "s.yaml", scenario);
  auto r = run_bbx({"run", "--runs-dir", (dir / "runs").string(), file.string()});
  INFO(r.out, r.err);
  REQUIRE(r.exit_code == 0);

  auto seq = read_file(dir / "codes.seq");
  CHECK(count_lines(seq, "503") == 1);  // the sequence's first answer, once for all threads
  CHECK(count_lines(seq, "200") == 199);
  CHECK(count_lines(read_file(dir / "codes.tls"), "200") == 20);

  std::vector<bbx::Event> requests;
  std::map<std::uint64_t, int> status_of;  // request seq -> response status
  std::int64_t pass_ns = -1;               // when the `within:` check on /last passed
  for (auto& e : bbx::testing::read_journal(dir / "runs/latest/http_threads/events.jsonl").events) {
    if (e.type == "http.request") requests.push_back(e);
    if (e.type == "http.response") status_of[e.body.at("request_seq").get<std::uint64_t>()] = e.body.at("status").get<int>();
    if (e.type == "assert.pass" && e.body.dump().find("/last") != std::string::npos) pass_ns = e.t_ns;
  }
  REQUIRE(requests.size() == 221);
  CHECK(status_of.size() == 221);
  const bbx::Event* first_seq = nullptr;
  const bbx::Event* last = nullptr;
  for (auto& e : requests) {
    auto path = e.body.at("path").get<std::string>();
    if (path == "/seq" && !first_seq) first_seq = &e;
    if (path == "/last") last = &e;
  }
  REQUIRE(first_seq);
  CHECK(first_seq->body.at("sequence") == 0);
  CHECK(status_of[first_seq->seq] == 503);

  // The `within:` check passed as the request was journaled, not at a later wake of the loop.
  REQUIRE(last);
  REQUIRE(pass_ns > 0);
  CHECK(pass_ns - last->t_ns < 2'000'000'000);  // the fallback would be the 30 s deadline
}
