#include "fakes/metrics/parse.hpp"

#include <doctest/doctest.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

using namespace bbx::fakes;

namespace {

std::string number(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// A parsed sample written back in canonical DogStatsD syntax: `name:value|type`, then
// `|@rate` unless 1, `|#tags` as sent, `|c:container`, `|Tts` when set. A gauge delta
// keeps its sign (`+5`).
std::string canonical(const MetricSample& s) {
  std::string out = s.name + ':';
  if (s.gauge_delta && s.value >= 0) out += '+';
  out += s.type == MetricType::set ? s.set_value : number(s.value);
  out += '|' + std::string(type_code(s.type));
  if (s.rate != 1) out += "|@" + number(s.rate);
  for (std::size_t i = 0; i < s.tags.size(); ++i) {
    out += (i == 0 ? "|#" : ",") + s.tags[i].first + (s.tags[i].second.empty() ? "" : ":" + s.tags[i].second);
  }
  if (!s.container.empty()) out += "|c:" + s.container;
  if (s.timestamp) out += "|T" + std::to_string(*s.timestamp);
  return out;
}

// Everything parsed from a payload, in order: canonical samples, then `!reason` per
// error, joined by " ; ". Events and checks are checked field by field elsewhere.
std::string describe(const ParsedDatagram& d) {
  std::string out;
  for (const auto& s : d.samples) out += (out.empty() ? "" : " ; ") + canonical(s);
  for (const auto& e : d.errors) out += (out.empty() ? "!" : " ; !") + e.reason;
  return out;
}
std::string statsd(std::string_view payload) { return describe(parse_statsd_datagram(payload)); }
std::string graphite(std::string_view payload) { return describe(parse_graphite_line(payload)); }

// The only sample of a payload that must parse cleanly.
MetricSample one_sample(std::string_view payload) {
  ParsedDatagram d = parse_statsd_datagram(payload);
  REQUIRE(d.errors.empty());
  REQUIRE(d.samples.size() == 1);
  return d.samples[0];
}

StatsdEvent one_event(std::string_view payload) {
  ParsedDatagram d = parse_statsd_datagram(payload);
  REQUIRE(d.errors.empty());
  REQUIRE(d.events.size() == 1);
  return d.events[0];
}

ServiceCheck one_check(std::string_view payload) {
  ParsedDatagram d = parse_statsd_datagram(payload);
  REQUIRE(d.errors.empty());
  REQUIRE(d.checks.size() == 1);
  return d.checks[0];
}

}  // namespace

TEST_CASE("type codes round-trip and reject anything else") {
  for (auto t : {MetricType::counter, MetricType::gauge, MetricType::timer, MetricType::histogram,
                 MetricType::set, MetricType::distribution}) {
    CHECK(parse_type_code(type_code(t)) == t);
  }
  CHECK(type_code(MetricType::timer) == "ms");
  for (auto bad : {"", "m", "C", "ms ", "cc", "x", "t"}) CHECK_FALSE(parse_type_code(bad).has_value());
}

TEST_CASE("every metric type parses, with defaults for what was not sent") {
  const MetricSample c = one_sample("hits:3|c");
  CHECK(c.name == "hits");
  CHECK(c.type == MetricType::counter);
  CHECK(c.value == 3);
  CHECK(c.rate == 1.0);
  CHECK(c.tags.empty());
  CHECK(c.container.empty());
  CHECK_FALSE(c.timestamp.has_value());
  CHECK_FALSE(c.gauge_delta);
  CHECK(one_sample("users:alice|s").set_value == "alice");
  CHECK(statsd("temp:21.5|g\nlat:320|ms\nsize:7|h\ndist:-0.25|d\nusers:bob|s") ==
        "temp:21.5|g ; lat:320|ms ; size:7|h ; dist:-0.25|d ; users:bob|s");
}

TEST_CASE("numbers: from_chars syntax, optional plus, finite only") {
  CHECK(statsd("k:1e3|c\nk:+5|c\nk:-2|c\nk:.5|h") == "k:1000|c ; k:5|c ; k:-2|c ; k:0.5|h");
  for (std::string bad : {"abc", "1x", "0x10", " 1", "1 ", "nan", "inf", "1e999", "+-1", "++1"}) {
    CHECK(statsd("k:" + bad + "|g") == "!value \"" + bad + "\" is not a number");
  }
}

TEST_CASE("a missing counter value counts as 1; other types need a value") {
  CHECK(statsd("k:|c\nk:|c|@0.5") == "k:1|c ; k:1|c|@0.5");
  for (auto type : {"g", "ms", "h", "d", "s"}) CHECK(statsd("k:|" + std::string(type)) == "!missing value");
}

TEST_CASE("timers must not be negative") {
  CHECK(statsd("k:-3|ms") == "!timer value \"-3\" is negative");
  CHECK(statsd("k:0|ms") == "k:0|ms");
}

TEST_CASE("a leading sign on a gauge marks a delta, on nothing else") {
  CHECK(one_sample("g:+5|g").gauge_delta);
  CHECK(one_sample("g:+5|g").value == 5);
  CHECK(one_sample("g:-5|g").gauge_delta);
  CHECK(one_sample("g:-5|g").value == -5);
  CHECK_FALSE(one_sample("g:5|g").gauge_delta);
  CHECK_FALSE(one_sample("c:-5|c").gauge_delta);
  CHECK_FALSE(one_sample("d:-5|d").gauge_delta);
}

TEST_CASE("structural errors name what is missing") {
  CHECK(statsd("k") == "!missing ':' after name");
  CHECK(statsd("k|c") == "!missing ':' after name");
  CHECK(statsd("k|c|#a:b") == "!missing ':' after name");
  CHECK(statsd(":1|c") == "!missing name");
  CHECK(statsd("k:1") == "!missing type");
  CHECK(statsd("k:1|") == "!missing type");
  CHECK(statsd("k:1||@0.5") == "!missing type");
  CHECK(statsd("k:1|x") == "!unknown type \"x\"");
  CHECK(statsd("k:1|MS") == "!unknown type \"MS\"");
  CHECK(statsd("k:1| c") == "!unknown type \" c\"");
}

TEST_CASE("sample rate: a positive number after @, last one wins") {
  CHECK(statsd("k:1|c|@0.1\nk:1|ms|@1\nk:1|c|@2\nk:1|c|@0.5|@0.25") ==
        "k:1|c|@0.1 ; k:1|ms ; k:1|c|@2 ; k:1|c|@0.25");
  for (std::string bad : {"@x", "@", "@-1", "@0", "@nan", "@0.5x"}) {
    CHECK(statsd("k:1|c|" + bad) == "!bad sample rate \"" + bad + "\"");
  }
}

TEST_CASE("tags keep order and duplicates; bare tags have empty values; split at the first colon") {
  const MetricSample s = one_sample("k:1|c|#env:prod,canary,url:http://x:80/,,region:");
  CHECK(s.tags == Tags{{"env", "prod"}, {"canary", ""}, {"url", "http://x:80/"}, {"region", ""}});
  CHECK(statsd("k:1|c|#\nk:1|c|#b,a,b\nk:1|c|#a|#b:1") == "k:1|c ; k:1|c|#b,a,b ; k:1|c|#a,b:1");
}

TEST_CASE("sections are found by prefix, in any order") {
  const std::string expected = "k:2|c|@0.5|#a:b|c:abc123|T1700000000";
  CHECK(statsd("k:2|c|@0.5|#a:b|c:abc123|T1700000000") == expected);
  CHECK(statsd("k:2|c|T1700000000|c:abc123|#a:b|@0.5") == expected);
  CHECK(statsd("k:2|c|#a:b|T1700000000|@0.5|c:abc123") == expected);
}

TEST_CASE("timestamps are non-negative integers") {
  CHECK(statsd("k:1|g|T0") == "k:1|g|T0");
  for (std::string bad : {"Tabc", "T", "T-5", "T1.5", "T99999999999999999999"}) {
    CHECK(statsd("k:1|g|" + bad) == "!bad timestamp \"" + bad + "\"");
  }
}

TEST_CASE("unknown and empty sections are ignored") {
  CHECK(statsd("k:1|c|e:it-false,cn-x|card:low||#a|") == "k:1|c|#a");
}

TEST_CASE("DogStatsD value packing: values share type, rate and tags") {
  CHECK(statsd("k:1:2:3|ms|@0.5|#a:b") == "k:1|ms|@0.5|#a:b ; k:2|ms|@0.5|#a:b ; k:3|ms|@0.5|#a:b");
  CHECK(statsd("g:+1:-2:3|g") == "g:+1|g ; g:-2|g ; g:3|g");
  CHECK(statsd("c:1::2|c") == "c:1|c ; c:1|c ; c:2|c");  // an empty counter value is 1
}

TEST_CASE("one bad packed value rejects the whole packed segment") {
  CHECK(statsd("k:1:x:3|c") == "!value \"x\" is not a number");
  CHECK(statsd("k:1:2:|g") == "!missing value");
  CHECK(statsd("k:1:-2|ms") == "!timer value \"-2\" is negative");
}

TEST_CASE("set members are never packed: colons belong to the member") {
  CHECK(one_sample("k:a:b:c|s|#t").set_value == "a:b:c");
}

TEST_CASE("etsy multi-metric lines: a colon after the type, rate or timestamp starts a segment") {
  CHECK(statsd("k:1|c:320|ms") == "k:1|c ; k:320|ms");
  CHECK(statsd("k:1|c|@0.5:2|g|T9:u|s") == "k:1|c|@0.5 ; k:2|g|T9 ; k:u|s");
  CHECK(statsd("k:1:2|c:3:4|h") == "k:1|c ; k:2|c ; k:3|h ; k:4|h");
}

TEST_CASE("etsy segments fail independently") {
  ParsedDatagram d = parse_statsd_datagram("k:1|c:x|ms:2|g");
  CHECK(describe(d) == "k:1|c ; k:2|g ; !value \"x\" is not a number");
  CHECK(d.errors.at(0).line == "k:1|c:x|ms:2|g");
  CHECK(statsd("k:1|c:2") == "k:1|c ; !missing type");
  CHECK(statsd("k:1|c|@x:2|g") == "k:2|g ; !bad sample rate \"@x\"");
}

TEST_CASE("tags and container run to the next pipe, so their colons never split segments") {
  CHECK(statsd("k:1|c|#a:b|ms") == "k:1|c|#a:b");  // "ms" is an unknown section
  CHECK(one_sample("k:1|c|c:pod:x").container == "pod:x");
}

TEST_CASE("names are kept verbatim; only `_e{` and `_sc|` start events and checks") {
  CHECK(statsd("my app/req s:1|c\n_sc:1|c\n_e:1|c") == "my app/req s:1|c ; _sc:1|c ; _e:1|c");
}

TEST_CASE("multi-line datagrams: empty lines, trailing newline, CRLF") {
  CHECK(statsd("a:1|c\n\nb:2|g\r\n\n\nc:3|ms\n") == "a:1|c ; b:2|g ; c:3|ms");
  CHECK(statsd("") == "");
  CHECK(statsd("\n\n\r\n") == "");
}

TEST_CASE("a bad line is recorded with its text and does not stop the rest") {
  ParsedDatagram d = parse_statsd_datagram("a:1|c\nbroken\nb:2|c\n_e{1,1}:x\nc:3|c");
  CHECK(d.samples.size() == 3);
  REQUIRE(d.errors.size() == 2);
  CHECK(d.errors[0].line == "broken");
  CHECK(d.errors[0].reason == "missing ':' after name");
  CHECK(d.errors[1].line == "_e{1,1}:x");
}

TEST_CASE("a 64 KiB datagram parses completely") {
  std::string payload;
  std::size_t lines = 0;
  while (payload.size() < 65536 - 32) payload += "svc.req." + std::to_string(lines++) + ":1|c|#a\n";
  ParsedDatagram d = parse_statsd_datagram(payload);
  CHECK(d.errors.empty());
  CHECK(d.samples.size() == lines);
  CHECK(d.samples.back().name == "svc.req." + std::to_string(lines - 1));
  const std::string text(65000, 'x');
  CHECK(one_event("_e{5," + std::to_string(text.size()) + "}:title|" + text).text == text);
}

TEST_CASE("events: lengths slice title and text, sections follow") {
  const StatsdEvent e =
      one_event("_e{5,4}:Title|Text|d:1700000000|h:web1|k:agg|p:low|s:myapp|t:warning|#env:prod,x");
  CHECK(e.title == "Title");
  CHECK(e.text == "Text");
  CHECK(e.timestamp == 1700000000);
  CHECK(e.host == "web1");
  CHECK(e.aggregation_key == "agg");
  CHECK(e.priority == "low");
  CHECK(e.source == "myapp");
  CHECK(e.alert_type == "warning");
  CHECK(e.tags == Tags{{"env", "prod"}, {"x", ""}});
  const StatsdEvent plain = one_event("_e{2,0}:hi|");
  CHECK(plain.text.empty());
  CHECK(plain.priority.empty());
  CHECK(plain.alert_type.empty());
  CHECK_FALSE(plain.timestamp.has_value());
}

TEST_CASE("events: pipes inside title and text are data") {
  const StatsdEvent e = one_event("_e{3,9}:a|b|te|xt|#no|#yes");
  CHECK(e.title == "a|b");
  CHECK(e.text == "te|xt|#no");
  CHECK(e.tags == Tags{{"yes", ""}});
}

TEST_CASE("events: escaped newlines become newlines; lengths count the escapes") {
  const StatsdEvent e = one_event("_e{4,12}:a\\nb|line1\\nline2");
  CHECK(e.title == "a\nb");
  CHECK(e.text == "line1\nline2");
  CHECK(one_event("_e{1,3}:t|\\\\n").text == "\\\n");
}

TEST_CASE("events: bad headers and lengths") {
  const std::string header = "!bad event header, expected _e{<title bytes>,<text bytes>}:";
  for (auto bad : {"_e{a,4}:Title|Text", "_e{5}:Title|Text", "_e{5,4:Title|Text", "_e{5,4}Title|Text",
                   "_e{-5,4}:Title|Text", "_e{5,4}", "_e{"}) {
    CHECK(statsd(bad) == header);
  }
  CHECK(statsd("_e{0,4}:|Text") == "!event title is empty");
  CHECK(statsd("_e{6,4}:Title|Text") == "!event title length 6 does not match");
  CHECK(statsd("_e{4,4}:Title|Text") == "!event title length 4 does not match");
  CHECK(statsd("_e{99,4}:Title|Text") == "!event title length 99 does not match");
  CHECK(statsd("_e{5,4}:Title") == "!event title length 5 does not match");
  CHECK(statsd("_e{5,3}:Title|Text") == "!event text length 3 does not match");
  CHECK(statsd("_e{5,5}:Title|Text") == "!event text length 5 does not match");
}

TEST_CASE("events: bad section values reject the event; unknown sections are ignored") {
  CHECK(statsd("_e{1,1}:t|x|p:urgent") == "!unknown event priority \"p:urgent\"");
  CHECK(statsd("_e{1,1}:t|x|t:fatal") == "!unknown event alert type \"t:fatal\"");
  CHECK(statsd("_e{1,1}:t|x|d:soon") == "!bad event timestamp \"d:soon\"");
  const StatsdEvent e = one_event("_e{1,1}:t|x|z:whatever|p:normal|t:success");
  CHECK(e.priority == "normal");
  CHECK(e.alert_type == "success");
}

TEST_CASE("service checks: fields, and m: takes the rest of the line") {
  const ServiceCheck c =
      one_check("_sc|db.up|2|d:1700000000|h:db1|#env:prod,primary|m:down|really #x d:1\\nsee logs");
  CHECK(c.name == "db.up");
  CHECK(c.status == 2);
  CHECK(c.timestamp == 1700000000);
  CHECK(c.host == "db1");
  CHECK(c.tags == Tags{{"env", "prod"}, {"primary", ""}});
  CHECK(c.message == "down|really #x d:1\nsee logs");
  const ServiceCheck minimal = one_check("_sc|ok|0");
  CHECK(minimal.status == 0);
  CHECK(minimal.message.empty());
  CHECK_FALSE(minimal.timestamp.has_value());
  CHECK(one_check("_sc|x|3|z:ignored").status == 3);
}

TEST_CASE("service checks: bad name, status and timestamp") {
  CHECK(statsd("_sc||0") == "!missing service check name");
  CHECK(statsd("_sc|") == "!missing service check name");
  CHECK(statsd("_sc|n") == "!bad service check status \"\"");
  CHECK(statsd("_sc|n|4") == "!bad service check status \"4\"");
  CHECK(statsd("_sc|n|ok") == "!bad service check status \"ok\"");
  CHECK(statsd("_sc|n|00") == "!bad service check status \"00\"");
  CHECK(statsd("_sc|n|1|d:x") == "!bad service check timestamp \"d:x\"");
}

TEST_CASE("events, checks and metrics mix in one datagram") {
  ParsedDatagram d = parse_statsd_datagram("a:1|c\n_e{1,1}:t|x\n_sc|s|1\nb:2|g");
  CHECK(describe(d) == "a:1|c ; b:2|g");
  CHECK(d.events.size() == 1);
  CHECK(d.checks.size() == 1);
}

TEST_CASE("the appending overload reuses a cleared result") {
  ParsedDatagram d;
  parse_statsd_datagram("a:1|c", d);
  parse_statsd_datagram("b:1|c\nbad", d);
  CHECK(describe(d) == "a:1|c ; b:1|c ; !missing ':' after name");
  d.clear();
  CHECK(describe(d) == "");
  parse_statsd_datagram("c:1|c", d);
  CHECK(describe(d) == "c:1|c");
}

TEST_CASE("client telemetry is recognised by name") {
  CHECK(is_client_telemetry(one_sample("datadog.dogstatsd.client.packets_sent:1|c")));
  CHECK_FALSE(is_client_telemetry(one_sample("datadog.dogstatsd.clientx:1|c")));
  CHECK_FALSE(is_client_telemetry(one_sample("app.requests:1|c")));
}

TEST_CASE("graphite: plain and tagged paths become gauges") {
  CHECK(graphite("servers.web1.cpu 42.5 1700000000\n") == "servers.web1.cpu:42.5|g|T1700000000");
  CHECK(graphite("disk.used;dc=eu;host=a=b 7 1700000001") == "disk.used:7|g|#dc:eu,host:a=b|T1700000001");
  const ParsedDatagram d = parse_graphite_line("disk.used;dc=eu 7 1");
  CHECK(d.samples.at(0).tags == Tags{{"dc", "eu"}});
}

TEST_CASE("graphite: whitespace runs, CRLF, blank lines, several lines, special timestamps") {
  CHECK(graphite("a 1 10\r\n\n  \n\tb\t\t2   20  \nc -3.5 30.9\nd 4 -1\n") ==
        "a:1|g|T10 ; b:2|g|T20 ; c:-3.5|g|T30 ; d:4|g");  // 30.9 truncates; -1 means "now"
}

TEST_CASE("graphite: malformed lines") {
  CHECK(graphite("a.b 1") == "!expected \"<path> <value> <timestamp>\", got 2 fields");
  CHECK(graphite("a.b 1 2 3") == "!expected \"<path> <value> <timestamp>\", got 4 fields");
  CHECK(graphite("a.b x 10") == "!value \"x\" is not a number");
  CHECK(graphite("a.b nan 10") == "!value \"nan\" is not a number");
  for (std::string bad : {"soon", "-2", "1e30", "inf"}) {
    CHECK(graphite("a.b 1 " + bad) == "!bad timestamp \"" + bad + "\"");
  }
  CHECK(graphite(";k=v 1 10") == "!missing name");
  for (std::string bad : {"env", "=x", "k=", ""}) {
    CHECK(graphite("a;" + bad + " 1 10") == "!bad graphite tag \"" + bad + "\", expected key=value");
  }
  ParsedDatagram mixed = parse_graphite_line("ok 1 1\nbad\nok2 2 2");
  CHECK(describe(mixed) == "ok:1|g|T1 ; ok2:2|g|T2 ; !expected \"<path> <value> <timestamp>\", got 1 fields");
  CHECK(mixed.errors.at(0).line == "bad");
}

TEST_CASE("JSON: samples carry compact keys and tags as sent") {
  CHECK(to_json(one_sample("k:1.5|ms|@0.5|#env:prod,canary")) ==
        nlohmann::json::parse(
            R"({"name":"k","type":"ms","value":1.5,"rate":0.5,"tags":["env:prod","canary"]})"));
  CHECK(to_json(one_sample("g:-2|g|c:ctr|T7")) ==
        nlohmann::json::parse(R"({"name":"g","type":"g","value":-2,"rate":1,"tags":[],)"
                              R"("delta":true,"container":"ctr","timestamp":7})"));
  CHECK(to_json(one_sample("u:bob|s")) ==
        nlohmann::json::parse(R"({"name":"u","type":"s","value":"bob","rate":1,"tags":[]})"));
}

TEST_CASE("JSON: events, checks, errors and whole datagrams") {
  nlohmann::json j = to_json(parse_statsd_datagram("_e{1,2}:t|xy|p:low|#a\n_sc|n|1|h:h1|m:msg\nbad\nk:1|c"));
  CHECK(j.at("events")[0] ==
        nlohmann::json::parse(R"({"title":"t","text":"xy","priority":"low","tags":["a"]})"));
  CHECK(j.at("checks")[0] ==
        nlohmann::json::parse(R"({"name":"n","status":1,"host":"h1","message":"msg","tags":[]})"));
  CHECK(j.at("errors")[0] == nlohmann::json::parse(R"({"line":"bad","reason":"missing ':' after name"})"));
  CHECK(j.at("samples").size() == 1);
  CHECK(to_json(parse_statsd_datagram("k:1|c")) ==
        nlohmann::json::parse(R"({"samples":[{"name":"k","type":"c","value":1,"rate":1,"tags":[]}]})"));
  CHECK(to_json(ParsedDatagram{}) == nlohmann::json::object());
}
