// What the HTTP fake sends for a routed request: which response of a route's sequence,
// the final body (inline or file, templated or not) and the delay. Pure apart from the
// body files read once at construction; unit tests call it directly.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fakes/http/routing.hpp"

namespace bbx::fakes {

struct ResponsePlan {
  const model::HttpResponse* response = nullptr;  // the chosen one (status, headers, fault, chunking)
  int sequence_index = 0;                         // which of the route's `respond:` list
  // An untemplated body is the response's own (inline, or its file read at construction),
  // not copied per request; it lives as long as the planner. A templated one is filled here.
  const std::string* shared_body = nullptr;
  std::string filled;
  model::Duration delay{0};

  // What to send (after file and template).
  const std::string& body() const { return shared_body ? *shared_body : filled; }
};

// Placeholders in a templated body: {{request.method}}, {{request.path}},
// {{request.target}}, {{request.query}}, {{request.query.NAME}},
// {{request.header.NAME}} (case-insensitive), {{request.body}}. A parameter or header
// that is absent gives ""; any other {{...}} is left as written.
std::string fill_template(std::string_view body, const RequestView& request);

// Per fake (counts requests per route). Not thread-safe: the HTTP fake's sessions call it
// under Shared::order, whichever thread serves them.
class ResponsePlanner {
 public:
  // Reads every body_file (relative to scenario_dir). Throws std::runtime_error
  // ("fake 'api': cannot read body_file x.json: No such file or directory"). Keeps a
  // reference to `http`.
  ResponsePlanner(const model::HttpFakeSpec& http, const std::string& fake_name, const std::filesystem::path& scenario_dir,
                  std::uint64_t seed = 0x5eed);
  ResponsePlan plan(const RouteDecision& decision, const RequestView& request);

 private:
  const model::HttpFakeSpec& http_;
  std::map<const model::HttpResponse*, std::string> files_;
  std::vector<std::uint64_t> hits_;  // requests so far, per route
  std::mt19937_64 rng_;
};

}  // namespace bbx::fakes
