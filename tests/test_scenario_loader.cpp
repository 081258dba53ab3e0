#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "bbx/error.hpp"
#include "scenario/loader.hpp"

using namespace bbx;

namespace {

std::filesystem::path scenario_file(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "bbx-unit-loader";
  std::filesystem::create_directories(dir);
  auto p = dir / (name + ".yaml");
  std::ofstream(p) << text;
  return p;
}

// The error message (without "path:") loading text gives, or "" when it loads.
std::string load_error(const std::string& text) {
  auto p = scenario_file("case", text);
  try {
    scenario::load_scenario_file(p);
    return "";
  } catch (const Error& e) {
    auto s = e.formatted();
    return s.substr(p.string().size() + 1);
  }
}

const char* kValid = R"(name: ok
fakes:
  up: {http: {port: auto}, routes: [{match: {path: /x}, respond: {status: 201, body: hi, delay: 5ms}}]}
subjects:
  db: {command: [bbx-fixture, --listen, "7000"], ready: {listening: 7000}}
  app:
    command: [bbx-fixture, --upstream, "${fakes.up.url}"]
    after: [db]
    stop: {signal: INT, grace: 1s}
steps:
  - http: {post: "http://127.0.0.1:7000/", body: x}
    expect: {status: 200}
  - signal: {subject: app, signal: HUP}
  - sleep: 10ms
expect:
  - request: {fake: up, path: /x, count: ">= 1", within: 1s}
  - exit: {subject: app, code: 0}
)";

}  // namespace

TEST_CASE("a complete scenario loads into the model") {
  auto scenarios = scenario::load_scenario_file(scenario_file("valid", kValid));
  REQUIRE(scenarios.size() == 1);
  const auto& s = scenarios[0];
  CHECK(s.id == "ok");
  REQUIRE(s.fakes.size() == 1);
  CHECK(s.fakes[0].port == 0);
  const auto& http = std::get<model::HttpFakeSpec>(s.fakes[0].spec);
  CHECK(http.routes[0].respond.status == 201);
  CHECK(http.routes[0].respond.delay == std::chrono::milliseconds(5));
  REQUIRE(s.subjects.size() == 2);
  CHECK(s.subjects[0].name == "db");
  CHECK(s.subjects[1].stop.signal == 2);
  CHECK(s.steps.size() == 3);
  CHECK(s.steps[0].label == "http POST http://127.0.0.1:7000/");
  REQUIRE(s.expect.size() == 2);
  CHECK(s.expect[0].within == std::chrono::seconds(1));
}

TEST_CASE("subjects are ordered so that `after:` dependencies start first") {
  auto s = scenario::load_scenario_file(scenario_file("order", R"(name: order
subjects:
  web: {command: [x], after: [api]}
  api: {command: [x], after: [db]}
  db: {command: [x]}
)"))[0];
  CHECK(s.subjects[0].name == "db");
  CHECK(s.subjects[1].name == "api");
  CHECK(s.subjects[2].name == "web");
}

TEST_CASE("mistakes are reported at their line and column with a fix") {
  CHECK(load_error("name: x\nfakse: {}\n") == "2:1: scenario: unknown key 'fakse'; did you mean 'fakes'?");
  CHECK(load_error("name: x\nfakes:\n  a: {http: {}, routes: [{respnd: {}}]}\n") ==
        "3:27: fake 'a'.routes[0]: unknown key 'respnd'; did you mean 'respond'?");
  CHECK(load_error("name: x\nsteps:\n  - sleep: 5\n") ==
        "3:12: steps[0].sleep: invalid duration '5' (use a number with a unit: 250ms, 2s, 1m)");
  CHECK(load_error("name: x\nexpect:\n  - exit: {subject: ghost}\n") ==
        "3:11: unknown subject 'ghost' (none is defined)");
  CHECK(load_error("name: x\nsubjects:\n  a: {command: [x, \"${fakes.nope.port}\"]}\n") ==
        "3:20: unknown variable '${fakes.nope.port}'");
  CHECK(load_error("name: x\nsubjects:\n  a: {command: [x], after: [b]}\n  b: {command: [x], after: [a]}\n") ==
        "4:6: subject 'b': 'after' forms a cycle through 'a'");
  CHECK(load_error("name: x\nfakes: {a: {http: {}}}\nsubjects: {a: {command: [x]}}\n") ==
        "3:12: duplicate name 'a': a subject may not share a name with another fake or subject");
  CHECK(load_error("name: [x\n") == "2:1: YAML syntax: end of sequence flow not found");
}

TEST_CASE("an empty file and a missing file are input errors") {
  CHECK(load_error("") == "1:1: empty scenario file (it needs at least 'name:')");
  CHECK_THROWS_AS(scenario::load_scenario_file("/nonexistent/x.yaml"), Error);
}

TEST_CASE("--var overrides scenario vars") {
  scenario::LoadOptions opts;
  opts.cli_vars["port"] = "9";
  auto s = scenario::load_scenario_file(scenario_file("vars", "name: v\nvars: {port: \"8\"}\n"), opts)[0];
  CHECK(s.vars["port"] == "9");
}

TEST_CASE("a generic TCP fake and message expectations load into the model") {
  auto scenarios = scenario::load_scenario_file(scenario_file("tcp", R"yaml(name: tcp
fakes:
  kv:
    tcp: {port: 7001, framing: {delimiter: "\r\n"}, max_message: 1KiB}
    greeting: "hi\r\n"
    replies:
      - {match: "^GET (\\w+)", reply: "V $1\r\n", delay: 20ms}
      - {contains: Q, fault: close, reply: "bye"}
      - {fault: never}
  bin:
    tcp: {framing: {length_prefix: 2, endian: little}}
expect:
  - message: {fake: kv, matches: "^GET", count: 2, within: 1s}
  - message: {fake: bin, absent: true}
  - order: {first: {message: {fake: kv}}, then: {message: {fake: bin, contains: x}}}
)yaml"));
  REQUIRE(scenarios.size() == 1);
  const auto& s = scenarios[0];
  REQUIRE(s.fakes.size() == 2);
  REQUIRE(model::spec_if<model::TcpFakeSpec>(s.fakes[0]));
  const auto& kv = *model::spec_if<model::TcpFakeSpec>(s.fakes[0]);
  CHECK(s.fakes[0].port == 7001);
  CHECK(kv.framing.kind == model::TcpFramingKind::delimiter);
  CHECK(kv.framing.delimiter == "\r\n");
  CHECK(kv.max_message == 1024);
  CHECK(kv.greeting == "hi\r\n");
  REQUIRE(kv.replies.size() == 3);
  REQUIRE(kv.replies[0].match);
  CHECK(kv.replies[0].match->pattern() == "^GET (\\w+)");
  CHECK(kv.replies[0].delay == std::chrono::milliseconds(20));
  CHECK(kv.replies[1].fault == model::TcpFault::close);
  CHECK(kv.replies[2].fault == model::TcpFault::never);
  const auto& bin = std::get<model::TcpFakeSpec>(s.fakes[1].spec);
  CHECK(bin.framing.kind == model::TcpFramingKind::length_prefix);
  CHECK(bin.framing.prefix_bytes == 2);
  CHECK_FALSE(bin.framing.big_endian);
  CHECK(bin.max_message == 64 * 1024);
  REQUIRE(s.expect.size() == 3);
  const auto& m = std::get<model::MessageExpectation>(s.expect[0].check);
  CHECK(m.text->regex);
  CHECK(m.count.min == 2);
  CHECK(s.expect[0].within == std::chrono::seconds(1));
  CHECK(std::get<model::MessageExpectation>(s.expect[1].check).count.max == 0);
  const auto& order = std::get<model::SequenceExpectation>(s.expect[2].check);
  REQUIRE(std::holds_alternative<model::MessageEvent>(order.items[0].event));
  CHECK_FALSE(std::get<model::MessageEvent>(order.items[0].event).text);
  CHECK(std::get<model::MessageEvent>(order.items[1].event).text->pattern == "x");
}

TEST_CASE("TCP fake mistakes name the key and the fix") {
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {framing: {delimiter: \"\"}}}}\n") ==
        "2:41: fake 'kv'.tcp.framing.delimiter: must not be empty");
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {framing: {delimiter: x, endian: big}}}}\n") ==
        "2:52: fake 'kv'.tcp.framing.endian: only with 'length_prefix'");
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {max_message: 0}}}\n") ==
        "2:33: fake 'kv'.tcp.max_message: expected a size between 1 and 64MiB, got '0'");
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {}, replies: [{contains: a, match: b, reply: c}]}}\n") ==
        "2:33: fake 'kv'.replies[0]: give 'match' or 'contains', not both");
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {}, replies: [{contains: a}]}}\n") ==
        "2:33: fake 'kv'.replies[0]: missing 'reply' (the bytes to send) or 'fault'");
  CHECK(load_error("name: t\nfakes: {kv: {tcp: {}, replies: [{match: \"(\", reply: x}]}}\n").find(
            "fake 'kv'.replies[0].match: invalid regex '('") != std::string::npos);
}

TEST_CASE("proxy: a URL or {to, strip_prefix, timeout, headers} on a route or the fake") {
  auto s = scenario::load_scenario_file(scenario_file("proxy", R"(name: proxy
fakes:
  edge:
    http: {}
    routes:
      - {match: {path: /a/*}, proxy: "${fakes.back.url}"}
      - match: {path: /b/*}
        proxy: {to: "http://127.0.0.1:9000/v1", strip_prefix: /b, timeout: 250ms, headers: {set: {X-A: "1"}, remove: [Cookie]}}
    proxy: http://localhost:81
  back: {http: {}}
)"))[0];
  const auto& f = std::get<model::HttpFakeSpec>(s.fakes[0].spec);
  REQUIRE(f.routes[0].proxy);
  CHECK(f.routes[0].proxy->to.text == "${fakes.back.url}");
  CHECK(f.routes[0].proxy->timeout == std::chrono::seconds(10));
  const auto& p = *f.routes[1].proxy;
  CHECK(p.to.text == "http://127.0.0.1:9000/v1");
  CHECK(p.strip_prefix == "/b");
  CHECK(p.timeout == std::chrono::milliseconds(250));
  CHECK(p.set_headers == std::map<std::string, std::string>{{"X-A", "1"}});
  CHECK(p.remove_headers == std::vector<std::string>{"Cookie"});
  REQUIRE(f.proxy);
  CHECK(f.proxy->to.text == "http://localhost:81");
}

TEST_CASE("proxy mistakes are located and say what is expected") {
  const std::string head = "name: x\nfakes:\n  a:\n    http: {}\n";
  CHECK(load_error(head + "    routes: [{proxy: \"ftp://h\"}]\n") ==
        "5:22: fake 'a'.routes[0].proxy: expected an http:// or https:// URL, got 'ftp://h'");
  CHECK(load_error(head + "    routes: [{proxy: {to: \"https://:1\"}}]\n") ==
        "5:27: fake 'a'.routes[0].proxy.to: no host in 'https://:1'");
  CHECK(load_error(head + "    routes: [{proxy: {strip_prefix: /x}}]\n") ==
        "5:22: fake 'a'.routes[0].proxy: missing 'to' (the upstream URL, e.g. http://127.0.0.1:9000)");
  CHECK(load_error(head + "    routes: [{proxy: {to: \"http://h:1\", strip_prefix: x}}]\n") ==
        "5:55: fake 'a'.routes[0].proxy.strip_prefix: expected a path starting with '/', got 'x'");
  CHECK(load_error(head + "    routes: [{proxy: \"http://h:1\", cycle: true}]\n") ==
        "5:43: fake 'a'.routes[0]: 'cycle' needs a 'respond' list, not 'proxy'");
  CHECK(load_error(head + "    routes: [{match: {path: /x}}]\n") == "5:14: fake 'a'.routes[0]: missing 'respond' (or 'proxy')");
  CHECK(load_error(head + "    proxy: \"${fakes.nope.url}\"\n") == "5:12: unknown variable '${fakes.nope.url}'; did you mean '${fakes.a.url}'?");
  CHECK(load_error(head + "    unmatched: {status: 404}\n    proxy: http://h:1\n") ==
        "6:12: fake 'a': give 'unmatched' or 'proxy', not both");
  CHECK(load_error("name: x\nfakes:\n  m:\n    statsd: {}\n    proxy: http://h:1\n") ==
        "5:12: fake 'm': 'proxy' needs an http fake");
}

TEST_CASE("https proxies: ca_file (relative to the scenario, or a variable) or insecure") {
  auto s = scenario::load_scenario_file(scenario_file("proxy-tls", R"(name: proxy tls
fakes:
  edge:
    http: {}
    routes:
      - {match: {path: /a/*}, proxy: {to: "https://example.com/v1", ca_file: certs/ca.pem}}
      - {match: {path: /b/*}, proxy: {to: "${fakes.back.url}", ca_file: "${fakes.back.ca_file}"}}
      - {match: {path: /c/*}, proxy: {to: "https://127.0.0.1:9443", insecure: true}}
    proxy: https://example.com
  back: {http: {tls: true}}
)"))[0];
  const auto& edge = std::get<model::HttpFakeSpec>(s.fakes[0].spec);
  const auto& r = edge.routes;
  REQUIRE(r[0].proxy->ca_file);
  CHECK(r[0].proxy->ca_file->text == "certs/ca.pem");
  CHECK_FALSE(r[0].proxy->insecure);
  CHECK(r[1].proxy->ca_file->text == "${fakes.back.ca_file}");
  CHECK_FALSE(r[2].proxy->ca_file);
  CHECK(r[2].proxy->insecure);
  CHECK(edge.proxy->to.text == "https://example.com");

  const std::string head = "name: x\nfakes:\n  a:\n    http: {}\n    proxy: ";
  CHECK(load_error(head + "{to: \"https://h\", insecure: maybe}\n") ==
        "5:40: fake 'a'.proxy.insecure: expected true or false, got 'maybe'");
  CHECK(load_error(head + "{to: \"http://h:1\", ca_file: ca.pem}\n") ==
        "5:40: fake 'a'.proxy.ca_file: only for https:// upstreams, and 'to' is 'http://h:1'");
  CHECK(load_error(head + "{to: \"http://h:1\", insecure: false}\n") ==
        "5:41: fake 'a'.proxy.insecure: only for https:// upstreams, and 'to' is 'http://h:1'");
  CHECK(load_error(head + "{to: \"https://h\", ca_file: ca.pem, insecure: true}\n") ==
        "5:57: fake 'a'.proxy: give 'ca_file' (trust that CA) or 'insecure' (verify nothing), not both");
  CHECK(load_error(head + "{to: \"https://h\", ca_file: \"${fakes.b.ca_file}\"}\n") ==
        "5:39: unknown variable '${fakes.b.ca_file}'");
}

TEST_CASE("always/never windows and mark bounds are validated") {
  const std::string head = "name: x\nsubjects: {app: {command: [x]}}\nsteps: [{mark: warm}]\nexpect:\n";
  CHECK(load_error(head + "  - process: {subject: app, always: {from: {mark: warm}}, never: {from: {mark: warm}}}\n") ==
        "5:66: expect[0].process: give 'always' or 'never', not both");
  CHECK(load_error(head + "  - listening: {port: 1, within: 1s, always: {from: {mark: warm}}}\n") ==
        "5:46: expect[0].listening: 'always' samples over a window while the steps run; it does not combine with "
        "'within'");
  CHECK(load_error(head + "  - log: {subject: app, contains: x, never: {from: {mark: warm}}}\n") ==
        "5:45: expect[0].log: 'never' applies to the live probes listening, process and file; count events in a "
        "window with 'during' (and 'absent: true' for never)");
  CHECK(load_error(head + "  - file: {path: f, always: {from: {mark: wram}}}\n") ==
        "5:36: unknown mark 'wram'; did you mean 'warm'?");
  CHECK(load_error(head + "  - file: {path: f, always: {to: {mark: warm}}}\n") == "5:29: expect[0].file.always: missing 'from'");
  CHECK(load_error(head + "  - file: {path: f, owner: \"\"}\n") == "5:28: expect[0].file.owner: must not be empty");
  CHECK(load_error(head + "  - order: {first: {mark: warm}, then: {step: x}, during: {from: {mark: \"\"}}}\n") ==
        "5:73: expect[0].order.during.from.mark: must not be empty");
  CHECK(load_error(head + "  - file: {path: f, never: {from: {mark: warm}}}\n  - process: {subject: app, user: 0, "
                          "threads: 1..4, always: {from: {step: '*'}, to: {mark: warm}}}\n") == "");
}

TEST_CASE("http step expect.headers: exact values, matchers, absent and present load in written order") {
  auto scenarios = scenario::load_scenario_file(scenario_file("headers", R"yaml(name: headers
vars: {v: "1"}
steps:
  - http: {get: "http://127.0.0.1:1/"}
    expect:
      headers: {X-B: "v${v}", x-a: {contains: a}, X-C: {matches: "^c$"}, X-D: {absent: true}, X-E: {absent: false}}
)yaml"));
  REQUIRE(scenarios.size() == 1);
  const auto& h = std::get<model::HttpStep>(scenarios[0].steps[0].action).expect_headers;
  using Kind = model::HeaderExpectation::Kind;
  REQUIRE(h.size() == 5);
  CHECK((h[0].name == "X-B" && h[0].kind == Kind::equals && h[0].value.text == "v${v}"));
  CHECK((h[1].name == "x-a" && h[1].kind == Kind::match && !h[1].match->regex && h[1].match->pattern == "a"));
  CHECK((h[2].kind == Kind::match && h[2].match->regex));
  CHECK(h[3].kind == Kind::absent);
  CHECK(h[4].kind == Kind::present);
  CHECK(h[0].where.line == 6);
  CHECK(load_error("name: x\nsteps:\n  - http: {get: \"http://h:1/\"}\n    expect: {headers: {X: {}}}\n") ==
        "4:27: steps[0].expect.headers.X: give 'contains', 'matches' or 'absent'");
  CHECK(load_error("name: x\nsteps:\n  - http: {get: \"http://h:1/\"}\n    expect: {headers: {X: \"${nope}\"}}\n") ==
        "4:27: unknown variable '${nope}'");
}
