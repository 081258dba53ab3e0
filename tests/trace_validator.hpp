// A validator of Chrome Trace Event JSON written from the format's rules (the Trace Event
// Format document and Perfetto's notes on its JSON importer), for the traces bbx writes
// (views/trace_json.hpp). Returns every rule broken, as "event N: ..." lines; empty when the
// trace is valid. Rules:
//   - the file is JSON; its first key is "displayTimeUnit" ("ms" or "ns"), and
//     "traceEvents" is an array of objects;
//   - every event has ph in B E X i I C b e n s t f M, integer pid and tid, a numeric ts >= 0
//     in microseconds, events sorted by ts; names are strings where the phase needs one;
//   - X has dur >= 0; X/B/E nest strictly per (pid, tid): a slice ends before the one
//     around it, E closes the innermost open B, no B is left open;
//   - async b/e pair up by (cat, id) with the same name, never opened twice, none left open;
//   - flows s/f pair up by (cat, id), f after its s, each s finished, and each flow point
//     bound to a slice of its thread that covers its ts;
//   - instants' scope s is g, p or t; counters' args are numbers; metadata M names a
//     process or thread (args.name) or sorts one (args.sort_index).
#pragma once

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

namespace bbx::testing {

inline std::vector<std::string> validate_trace(const std::string& text) {
  std::vector<std::string> bad;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const std::exception& e) {
    return {std::string("not JSON: ") + e.what()};
  }
  auto first_key = text.find('"');
  if (!doc.is_object() || text.compare(first_key, 17, "\"displayTimeUnit\"") != 0)
    bad.push_back("the first key is not \"displayTimeUnit\"");
  if (doc.is_object()) {
    auto unit = doc.value("displayTimeUnit", std::string());
    if (unit != "ms" && unit != "ns") bad.push_back("displayTimeUnit is '" + unit + "', not ms or ns");
  }
  if (!doc.is_object() || !doc.contains("traceEvents") || !doc["traceEvents"].is_array()) {
    bad.push_back("no traceEvents array");
    return bad;
  }
  struct Slice {
    double start, end;
    bool b;
  };
  using Thread = std::pair<std::int64_t, std::int64_t>;
  std::map<Thread, std::vector<Slice>> stacks;
  std::map<Thread, Slice> last_x;
  std::map<std::pair<std::string, std::string>, std::string> async_open;  // (cat,id) -> name
  std::map<std::pair<std::string, std::string>, double> flows_open;       // (cat,id) -> ts
  const std::set<std::string> phases{"B", "E", "X", "i", "I", "C", "b", "e", "n", "s", "t", "f", "M"};
  double last_ts = -1;
  std::size_t n = 0;
  auto id_text = [](const nlohmann::json& e) { return e.contains("id") ? e["id"].dump() : std::string(); };
  auto covered = [&](const Thread& th, double ts) {
    for (const auto& s : stacks[th])
      if (s.start <= ts && s.end >= ts) return true;
    auto it = last_x.find(th);
    return it != last_x.end() && it->second.start <= ts && it->second.end >= ts;
  };
  for (const auto& e : doc["traceEvents"]) {
    ++n;
    auto where = "event " + std::to_string(n) + " (" + e.dump().substr(0, 160) + ")";
    if (!e.is_object()) {
      bad.push_back(where + ": not an object");
      continue;
    }
    auto ph = e.value("ph", std::string());
    if (!phases.count(ph)) bad.push_back(where + ": unknown phase '" + ph + "'");
    if (!e.contains("pid") || !e["pid"].is_number_integer()) bad.push_back(where + ": pid is not an integer");
    if (!e.contains("tid") || !e["tid"].is_number_integer()) bad.push_back(where + ": tid is not an integer");
    if (!e.contains("ts") || !e["ts"].is_number() || e["ts"].get<double>() < 0) {
      bad.push_back(where + ": ts is not a number >= 0 (microseconds)");
      continue;
    }
    double ts = e["ts"].get<double>();
    if (ts < last_ts) bad.push_back(where + ": not sorted by ts (" + std::to_string(ts) + " after " + std::to_string(last_ts) + ")");
    last_ts = std::max(last_ts, ts);
    if (ph != "E" && (!e.contains("name") || !e["name"].is_string())) bad.push_back(where + ": no name");
    Thread th{e.value("pid", std::int64_t(0)), e.value("tid", std::int64_t(0))};
    auto& stack = stacks[th];
    auto pop_ended = [&](bool inclusive) {
      while (!stack.empty() && !stack.back().b && (inclusive ? stack.back().end <= ts : stack.back().end < ts)) {
        last_x[th] = stack.back();
        stack.pop_back();
      }
    };
    if (ph == "X") {
      if (!e.contains("dur") || !e["dur"].is_number() || e["dur"].get<double>() < 0) {
        bad.push_back(where + ": X without dur >= 0");
        continue;
      }
      double end = ts + e["dur"].get<double>();
      pop_ended(true);
      if (!stack.empty() && end > stack.back().end)
        bad.push_back(where + ": X slice ends after the slice around it (strict nesting broken)");
      stack.push_back({ts, end, false});
    } else if (ph == "B") {
      pop_ended(true);
      stack.push_back({ts, std::numeric_limits<double>::infinity(), true});
    } else if (ph == "E") {
      pop_ended(true);
      if (stack.empty() || !stack.back().b) bad.push_back(where + ": E with no open B innermost on its thread");
      else stack.pop_back();
    } else if (ph == "b" || ph == "e") {
      auto key = std::pair(e.value("cat", std::string()), id_text(e));
      if (key.second.empty()) bad.push_back(where + ": async event without id");
      if (ph == "b") {
        if (async_open.count(key)) bad.push_back(where + ": async id opened twice");
        async_open[key] = e.value("name", std::string());
      } else {
        auto it = async_open.find(key);
        if (it == async_open.end()) bad.push_back(where + ": async e without its b");
        else {
          if (it->second != e.value("name", std::string())) bad.push_back(where + ": async e named unlike its b");
          async_open.erase(it);
        }
      }
    } else if (ph == "s" || ph == "f" || ph == "t") {
      auto key = std::pair(e.value("cat", std::string()), id_text(e));
      if (key.second.empty()) bad.push_back(where + ": flow event without id");
      pop_ended(false);
      if (!covered(th, ts)) bad.push_back(where + ": flow point bound to no slice of its thread");
      if (ph == "s") {
        if (flows_open.count(key)) bad.push_back(where + ": flow id started twice");
        flows_open[key] = ts;
      } else if (ph == "f") {
        auto it = flows_open.find(key);
        if (it == flows_open.end()) bad.push_back(where + ": flow f without its s");
        else flows_open.erase(it);
      }
    } else if (ph == "i" || ph == "I") {
      auto s = e.value("s", std::string("t"));
      if (s != "g" && s != "p" && s != "t") bad.push_back(where + ": instant scope '" + s + "'");
    } else if (ph == "C") {
      if (!e.contains("args") || !e["args"].is_object() || e["args"].empty()) bad.push_back(where + ": counter without args");
      else
        for (const auto& [k, v] : e["args"].items())
          if (!v.is_number()) bad.push_back(where + ": counter series " + k + " is not a number");
    } else if (ph == "M") {
      auto name = e.value("name", std::string());
      const auto& args = e.value("args", nlohmann::json::object());
      if (name == "process_name" || name == "thread_name") {
        if (!args.contains("name") || !args["name"].is_string()) bad.push_back(where + ": " + name + " without args.name");
      } else if (name == "process_sort_index" || name == "thread_sort_index") {
        if (!args.contains("sort_index") || !args["sort_index"].is_number_integer()) bad.push_back(where + ": no args.sort_index");
      } else {
        bad.push_back(where + ": unknown metadata '" + name + "'");
      }
    }
  }
  for (const auto& [th, stack] : stacks)
    for (const auto& s : stack)
      if (s.b) bad.push_back("B slice on pid " + std::to_string(th.first) + " tid " + std::to_string(th.second) + " never ended");
  for (const auto& [key, name] : async_open) bad.push_back("async " + key.first + " id " + key.second + " (" + name + ") never ended");
  for (const auto& [key, ts] : flows_open) bad.push_back("flow " + key.first + " id " + key.second + " never finished");
  return bad;
}

}  // namespace bbx::testing
