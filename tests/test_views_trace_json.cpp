// trace.json from a small recorded journal (views_test_support.hpp): valid by every rule of
// tests/trace_validator.hpp; a process per subject and fake named by metadata, requests as
// slices on lanes (async spans past the lanes or held too long), steps as slices, flows from each sender to its request, a
// failure as a global instant, counters; resource samples as counters of rates and levels
// (new fields and an old journal's); and a journal split by size into valid parts.
#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "journal/stored_journal.hpp"
#include "trace_validator.hpp"
#include "views/trace_json.hpp"
#include "views_test_support.hpp"

using namespace bbx;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<json> with_ph(const json& doc, const std::string& ph) {
  std::vector<json> out;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == ph) out.push_back(e);
  return out;
}

}  // namespace

TEST_CASE("the trace of a journal is valid Trace Event JSON with the layout the header promises") {
  testing::JournalFile file("trace_json");
  auto path = testing::sample_journal(file);
  journal::StoredJournal j(path);
  auto result = views::write_trace_json(j, file.dir() / "trace.json");
  REQUIRE(result.parts.size() == 1);
  auto text = slurp(file.dir() / "trace.json");
  auto problems = testing::validate_trace(text);
  INFO(text);
  CHECK(problems.empty());
  for (const auto& p : problems) MESSAGE(p);
  CHECK(text.rfind("{\"displayTimeUnit\":\"ms\"", 0) == 0);
  auto doc = json::parse(text);

  std::map<std::string, std::int64_t> processes;
  for (const auto& m : with_ph(doc, "M"))
    if (m["name"] == "process_name") processes[m["args"]["name"]] = m["pid"];
  CHECK(processes.at("bbx") == views::kHarnessTracePid);
  CHECK(processes.at("subject front") == 11);  // the subject's pid as journaled
  CHECK(processes.at("subject back") == 13);
  CHECK(processes.count("fake api") == 1);
  CHECK(processes.count("fake tcp") == 1);

  // Each request is one slice from its arrival to its answer, on the first lane of its fake
  // free at its arrival: #8 and #9 overlap (both open at 8 ms), so #9 is on "arrivals 2";
  // #16 comes after both, back on "arrivals".
  std::vector<json> requests;
  for (const auto& x : with_ph(doc, "X"))
    if (x["cat"] == "http") requests.push_back(x);
  REQUIRE(requests.size() == 3);
  CHECK(requests[0]["name"] == "GET /a");
  CHECK(requests[0]["args"]["seq"] == 8);
  CHECK(requests[0]["args"]["response_seq"] == 10);
  CHECK(requests[0]["args"]["result"] == "200 in 2.0ms");
  CHECK(requests[0]["dur"] == 2000.0);
  CHECK(requests[0]["tid"] == 2);
  CHECK(requests[1]["args"]["seq"] == 9);
  CHECK(requests[1]["tid"] == 3);
  CHECK(requests[2]["args"]["seq"] == 16);
  CHECK(requests[2]["tid"] == 2);
  std::map<std::int64_t, std::string> threads;
  for (const auto& m : with_ph(doc, "M"))
    if (m["name"] == "thread_name" && m["pid"] == requests[0]["pid"]) threads[m["tid"]] = m["args"]["name"];
  CHECK(threads[2] == "arrivals");
  CHECK(threads[3] == "arrivals 2");
  // The TCP connection is an async span.
  auto b = with_ph(doc, "b"), e = with_ph(doc, "e");
  REQUIRE(b.size() == 1);
  CHECK(b[0]["cat"] == "tcp");
  CHECK(e.size() == 1);

  // Steps are B/E on the harness; the failure is a global instant.
  CHECK(with_ph(doc, "B").size() == 2);
  CHECK(with_ph(doc, "E").size() == 2);
  bool failure = false;
  for (const auto& i : with_ph(doc, "i"))
    if (i["cat"] == "assert.fail" && i["s"] == "g" && i["args"]["seq"] == 23) failure = true;
  CHECK(failure);

  // Flows: front -> /a, back -> /b, bbx's step -> /c.
  auto s = with_ph(doc, "s"), f = with_ph(doc, "f");
  REQUIRE(s.size() == 3);
  CHECK(s[0]["pid"] == 11);
  CHECK(s[1]["pid"] == 13);
  CHECK(s[2]["pid"] == views::kHarnessTracePid);
  CHECK(s[2]["tid"] == 2);  // inside the step's slice on the steps thread
  CHECK(f.size() == 3);

  // Counters from resource.sample (its first: no CPU percent yet).
  auto c = with_ph(doc, "C");
  REQUIRE(c.size() == 4);
  CHECK(c[0]["name"] == "memory (MiB)");
  CHECK(c[0]["args"]["rss"] == 3.0);
}

TEST_CASE("a trace over max_file_bytes is split by time into valid parts, open slices carried over") {
  testing::JournalFile file("trace_split");
  // A step open across many output lines and an unanswered request.
  file.add(0, {"scenario", "big", 0}, "scenario.begin", {{"id", "big"}});
  file.add(1, {"step", "long", 0}, "step.begin", {{"where", "x"}});
  file.add(2, {"fake", "api", 0}, "http.request", {{"method", "GET"}, {"target", "/slow"}, {"client", "c"}, {"route", 0}});
  for (int i = 0; i < 400; ++i)
    file.add(3 + i, {"subject", "app", 5}, "output.line", {{"stream", "stdout"}, {"line", "line " + std::to_string(i)}});
  file.add(500, {"step", "long", 0}, "step.end", {{"ok", true}});
  file.close();
  journal::StoredJournal j(file.path());
  auto result = views::write_trace_json(j, file.dir() / "trace.json", {.max_file_bytes = 20'000});
  REQUIRE(result.parts.size() > 2);
  CHECK(result.parts[1].file.filename() == "trace.2.json");
  for (std::size_t i = 0; i < result.parts.size(); ++i) {
    auto text = slurp(result.parts[i].file);
    auto problems = testing::validate_trace(text);
    INFO("part ", i + 1);
    CHECK(problems.empty());
    for (const auto& p : problems) MESSAGE(p);
    if (i > 0) CHECK(result.parts[i].from_ns == result.parts[i - 1].to_ns);
    CHECK(result.parts[i].bytes <= 20'000 + 4096);
  }
  // Every output line is in one of the parts: nothing dropped.
  std::size_t lines = 0;
  for (const auto& p : result.parts) {
    auto doc = json::parse(slurp(p.file));
    for (const auto& e : doc["traceEvents"])
      if (e.value("cat", std::string()) == "output.line") ++lines;
  }
  CHECK(lines == 400);
  // Writing again with a bigger limit removes the stale parts.
  views::write_trace_json(j, file.dir() / "trace.json");
  CHECK(!std::filesystem::exists(file.dir() / "trace.2.json"));
}

TEST_CASE("requests beyond the fake's lanes, held too long or never answered are async spans; the trace stays valid") {
  testing::JournalFile file("trace_lanes");
  file.add(0, {"scenario", "lanes", 0}, "scenario.begin", {{"id", "lanes"}});
  auto request = [&](std::int64_t ms, const std::string& target) {
    return file.add(ms, {"fake", "api", 0}, "http.request", {{"method", "GET"}, {"target", target}, {"client", "c"}, {"route", 0}});
  };
  auto answer = [&](std::int64_t ms, std::uint64_t seq) {
    file.add(ms, {"fake", "api", 0}, "http.response", {{"request_seq", seq}, {"status", 200}, {"latency_us", 10}, {"fault", ""}, {"error", ""}});
  };
  // 17 requests open at once: 16 lanes, the 17th an async span.
  std::vector<std::uint64_t> open;
  for (int i = 0; i < 17; ++i) open.push_back(request(1, "/many/" + std::to_string(i)));
  for (auto seq : open) answer(2, seq);
  // One held behind more than 4 MiB of output lines: an async span from its arrival.
  auto slow = request(3, "/slow");
  std::string line(200, 'x');
  for (int i = 0; i < 25'000; ++i) file.add(4, {"subject", "app", 5}, "output.line", {{"stream", "stdout"}, {"line", line}});
  answer(5, slow);
  // One never answered: an async span ended at the last event.
  auto lost = request(6, "/lost");
  file.add(7, {"scenario", "lanes", 0}, "scenario.end", {{"verdict", "passed"}});
  file.close();

  journal::StoredJournal j(file.path());
  auto result = views::write_trace_json(j, file.dir() / "trace.json");
  REQUIRE(result.parts.size() == 1);
  auto text = slurp(file.dir() / "trace.json");
  auto problems = testing::validate_trace(text);
  CHECK(problems.empty());
  for (const auto& p : problems) MESSAGE(p);
  auto doc = json::parse(text);
  CHECK(result.trace_events == doc["traceEvents"].size());

  std::set<std::int64_t> lanes;
  std::size_t slices = 0;
  for (const auto& x : with_ph(doc, "X"))
    if (x["cat"] == "http") ++slices, lanes.insert(x["tid"].get<std::int64_t>());
  CHECK(slices == 16);
  CHECK(lanes.size() == 16);
  auto b = with_ph(doc, "b"), e = with_ph(doc, "e");
  REQUIRE(b.size() == 3);
  CHECK(b[0]["id"] == std::to_string(open.back()));
  CHECK(b[1]["id"] == std::to_string(slow));
  CHECK(b[1]["ts"] == 3000.0);  // where the request began, before the lines held behind it
  CHECK(b[2]["id"] == std::to_string(lost));
  REQUIRE(e.size() == 3);
  CHECK(e[1]["args"]["result"] == "200 in 10us");
  CHECK(e[2]["ts"] == 7000.0);
  std::size_t lines = 0;
  for (const auto& i : with_ph(doc, "i")) lines += i["cat"] == "output.line";
  CHECK(lines == 25'000);
}

TEST_CASE("the validator catches what breaks a trace") {
  using testing::validate_trace;
  auto wrap = [](const std::string& events) { return "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[" + events + "]}"; };
  CHECK(validate_trace(wrap(R"({"ph":"X","name":"a","ts":1,"dur":10,"pid":1,"tid":1},{"ph":"X","name":"b","ts":5,"dur":10,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"B","name":"a","ts":1,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"i","name":"a","ts":5,"pid":1,"tid":1},{"ph":"i","name":"b","ts":4,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"b","name":"a","cat":"c","id":"1","ts":1,"pid":1,"tid":1})")).size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"s","name":"a","cat":"c","id":1,"ts":1,"pid":1,"tid":1})")).size() == 2);  // unbound, unfinished
  CHECK(validate_trace("{\"traceEvents\":[],\"displayTimeUnit\":\"ms\"}").size() == 1);
  CHECK(validate_trace(wrap(R"({"ph":"X","name":"a","ts":1,"dur":10,"pid":1,"tid":1},{"ph":"X","name":"b","ts":5,"dur":1,"pid":1,"tid":1})")).empty());
}

namespace {

// The counter events of a trace named `name`: (ts in ms, args).
std::vector<std::pair<double, json>> counters(const json& doc, const std::string& name) {
  std::vector<std::pair<double, json>> out;
  for (const auto& e : doc["traceEvents"])
    if (e["ph"] == "C" && e["name"] == name) out.emplace_back(e["ts"].get<double>() / 1000, e["args"]);
  return out;
}

}  // namespace

TEST_CASE("resource samples are counters of CPU percent, memory, I/O and context-switch rates, counts and top processes") {
  testing::JournalFile file("trace_resources");
  file.add(0, {"scenario", "r", 0}, "scenario.begin", {{"id", "r"}});
  // A subject spinning one core (100 ms of CPU per 100 ms), its worker reading 1 MiB/s;
  // its helper exits after the third sample.
  for (int k = 0; k < 4; ++k) {
    json procs = json::array({{{"pid", 21}, {"ppid", 1}, {"comm", "spin"}, {"cpu_ms", 100 * k}, {"rss_bytes", 2 << 20}, {"threads", 2}},
                              {{"pid", 22}, {"ppid", 21}, {"comm", "worker"}, {"cpu_ms", 5 * k}, {"rss_bytes", 1 << 20}, {"threads", 1}}});
    if (k < 3) procs.push_back({{"pid", 23}, {"ppid", 21}, {"comm", "helper"}, {"cpu_ms", 0}, {"rss_bytes", 1 << 19}, {"threads", 1}});
    json body = {{"rss_bytes", 3 << 20}, {"cpu_ms", 105 * k}, {"cpu_user_ms", 100 * k}, {"cpu_system_ms", 5 * k},
                 {"rss_peak_bytes", 4 << 20}, {"read_bytes", k * (100 << 10)}, {"write_bytes", 0},
                 {"ctx_voluntary", 10 * k}, {"ctx_involuntary", 2 * k}, {"fds", 6}, {"threads", 4}, {"processes", k < 3 ? 3 : 2},
                 {"accounting", "cgroup"}, {"procs", procs}};
    if (k == 2) body["pss_bytes"] = 5 << 19;
    file.add(100 + 100 * k, {"subject", "spinner", 21}, "resource.sample", body);
    // An old journal's subject: only rss_bytes, cpu_ms, fds, threads, processes.
    if (k < 2)
      file.add(150 + 100 * k, {"subject", "old", 31}, "resource.sample",
               {{"rss_bytes", 1 << 20}, {"cpu_ms", 10 * k}, {"fds", 3}, {"threads", 1}, {"processes", 1}});
  }
  // A sample without procs (a sampler that did not list them this tick): the process tracks stay.
  file.add(500, {"subject", "spinner", 21}, "resource.sample", {{"rss_bytes", 3 << 20}, {"cpu_ms", 420}, {"fds", 6}, {"threads", 4}, {"processes", 2}});
  file.close();
  journal::StoredJournal j(file.path());
  views::write_trace_json(j, file.dir() / "trace.json");
  auto text = slurp(file.dir() / "trace.json");
  auto problems = testing::validate_trace(text);
  CHECK(problems.empty());
  for (const auto& p : problems) MESSAGE(p);
  auto doc = json::parse(text);
  auto of_pid = [&](const std::string& name, std::int64_t pid) {
    std::vector<std::pair<double, json>> out;
    for (const auto& e : doc["traceEvents"])
      if (e["ph"] == "C" && e["name"] == name && e["pid"] == pid) out.emplace_back(e["ts"].get<double>() / 1000, e["args"]);
    return out;
  };

  // CPU: a percent of one core from the second sample on (the first has no interval).
  auto cpu = of_pid("cpu (%)", 21);
  REQUIRE(cpu.size() == 4);
  CHECK(cpu[0].first == doctest::Approx(200));
  for (const auto& [t, args] : cpu) CHECK(args["total"].get<double>() == doctest::Approx(105.0));  // near 100: a spin
  auto mode = of_pid("cpu by mode (%)", 21);
  REQUIRE(mode.size() == 3);
  CHECK(mode[0].second["user"].get<double>() == doctest::Approx(100.0));
  CHECK(mode[0].second["system"].get<double>() == doctest::Approx(5.0));
  CHECK(of_pid("cpu (ms)", 21).empty());  // no cumulative counter any more
  // Memory in MiB: rss and its peak on every sample, pss where it was read.
  CHECK(of_pid("memory (MiB)", 21).size() == 5);
  CHECK(of_pid("memory (MiB)", 21)[0].second["rss"] == 3.0);
  CHECK(of_pid("memory peak (MiB)", 21)[3].second["rss_peak"] == 4.0);
  auto pss = of_pid("memory pss (MiB)", 21);
  REQUIRE(pss.size() == 1);
  CHECK(pss[0].second["pss"] == 2.5);
  // Rates: 100 KiB per 100 ms read, 10 and 2 context switches per 100 ms.
  auto io = of_pid("io (KiB/s)", 21);
  REQUIRE(io.size() == 3);
  CHECK(io[0].second["read"].get<double>() == doctest::Approx(1000.0));
  CHECK(io[0].second["write"].get<double>() == 0.0);
  auto ctx = of_pid("context switches (/s)", 21);
  REQUIRE(ctx.size() == 3);
  CHECK(ctx[0].second["voluntary"].get<double>() == doctest::Approx(100.0));
  CHECK(ctx[0].second["involuntary"].get<double>() == doctest::Approx(20.0));
  CHECK(of_pid("fds", 21)[0].second["fds"] == 6.0);
  CHECK(of_pid("threads", 21)[0].second["threads"] == 4.0);
  CHECK(of_pid("processes", 21)[3].second["processes"] == 2.0);
  CHECK(of_pid("pid 22 worker memory (MiB)", 21).size() == 4);
  // The top processes: the spinning main process near 100 %, the worker's CPU, and the
  // helper's tracks ending at 0 once it is gone.
  auto spin = of_pid("pid 21 spin cpu (%)", 21);
  REQUIRE(spin.size() == 3);  // none at 500 ms: that sample has no procs, and no 0 either
  CHECK(spin[0].second["cpu"].get<double>() == doctest::Approx(100.0));
  CHECK(of_pid("pid 22 worker cpu (%)", 21)[0].second["cpu"].get<double>() == doctest::Approx(5.0));
  CHECK(of_pid("pid 21 spin memory (MiB)", 21)[0].second["rss"] == 2.0);
  auto helper = of_pid("pid 23 helper memory (MiB)", 21);
  REQUIRE(helper.size() == 4);
  CHECK(helper[2].second["rss"] == 0.5);
  CHECK(helper[3].first == doctest::Approx(400));
  CHECK(helper[3].second["rss"] == 0.0);

  // The old journal's subject: CPU percent, rss, counts; no counter for what it lacks.
  auto old_cpu = of_pid("cpu (%)", 31);
  REQUIRE(old_cpu.size() == 1);
  CHECK(old_cpu[0].second["total"].get<double>() == doctest::Approx(10.0));
  CHECK(of_pid("memory (MiB)", 31).size() == 2);
  for (const char* none : {"cpu by mode (%)", "memory peak (MiB)", "memory pss (MiB)", "io (KiB/s)", "context switches (/s)"})
    CHECK_MESSAGE(of_pid(none, 31).empty(), none);
  CHECK(counters(doc, "pid 31 old cpu (%)").empty());
}
