// The HTTP client that steps use: asynchronous on the run's loop, so fakes and subjects
// keep being served while a step waits for its response.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bbx/model/steps.hpp"
#include "runtime/run_context.hpp"

namespace bbx::probes {

struct HttpCall {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query
  std::map<std::string, std::string> headers;
  std::optional<std::string> body;
  model::Duration timeout = std::chrono::seconds(10);
};

struct HttpReply {
  bool ok = false;       // a response was received
  std::string error;     // why not, when !ok
  int status = 0;
  // As received: in order, repeats kept; values with invalid UTF-8 bytes escaped as \xHH
  // (util::escape_invalid_utf8) so they can be journaled and reported.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Set when the connection was made but the response broke (!ok; never HttpBreak::any).
  // status, headers and body then hold what arrived before the break when the status line
  // and headers did (`got_headers`).
  std::optional<model::HttpBreak> broken;
  bool got_headers = false;
  std::optional<std::uint64_t> content_length;  // as the headers announced it
};

// Performs the call, pumping ctx's loop until it completes, times out or the run aborts.
HttpReply perform_http(runtime::RunContext& ctx, const HttpCall& call);

// Performs the call `count` times, at most `concurrency` at a time (each on its own
// connection, each with call.timeout), pumping ctx's loop until all have ended. on_reply is
// called on the loop thread once per call, with its index (0-based, in the order sent) and
// its reply, as each ends. A run cut short ends the calls in flight and answers the unsent
// ones with the cut's reason.
void perform_http_repeated(runtime::RunContext& ctx, const HttpCall& call, std::size_t count, std::size_t concurrency,
                           const std::function<void(std::size_t, HttpReply)>& on_reply);

}  // namespace bbx::probes
