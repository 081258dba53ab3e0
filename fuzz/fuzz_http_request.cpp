// Fuzz target: the HTTP fake's request path without its socket, bytes a client sent in ->
// what the fake journals and answers. It runs what fakes/http/session.hpp runs on a
// connection's bytes: request_pull.hpp's parse_buffered over one buffer with the session's
// parser settings (64 MiB body limit, Beast's 8 KiB header limit, eager), each whole request
// (pipelined ones too) routed (routing.hpp: every criterion kind), planned (plan.hpp:
// sequences, templates filled from the request) and journaled (event_bodies.hpp's
// http.request body, as text and as tree; misses of an unmatched one), its response built as
// session.hpp builds it; what cannot become a request rejected (reject_request:
// http.bad_request and its 400/413/431 answer; status 0 for a connection ending mid-request).
// The fake's spec is a scenario (below) loaded once. Checked contracts: nothing throws; the
// journal text of a request parses as JSON and equals its tree.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "fakes/http/capture.hpp"
#include "fakes/http/event_bodies.hpp"
#include "fakes/http/plan.hpp"
#include "fakes/http/request_pull.hpp"
#include "fakes/http/routing.hpp"
#include "fuzz_target.hpp"
#include "scenario/loader.hpp"
#include "util/text_buffer.hpp"

namespace {

namespace http = boost::beast::http;
using namespace bbx::fakes;
using bbx::fuzz::finding;

constexpr std::string_view kScenario = R"(name: http fuzz
fakes:
  api:
    http: {port: auto}
    capture: {body: 64B}
    routes:
      - match: {method: GET, path: /api/*}
        respond: {status: 200, body: "ok {{request.query.id}} {{request.header.x-id}}\n", template: true}
      - match:
          method: POST
          path_regex: "/v[0-9]+/orders(/[a-z]+)*"
          query: {ref: "R*"}
          headers: {Content-Type: "application/json*"}
          body_json: {item: {id: 7}, tags: [a]}
        respond: {status: 201, body: "made {{request.query.ref}} {{request.body}} {{request.target}}\n", template: true}
      - match: {path: /flaky}
        respond: [{status: 503}, {status: 503, headers: {Retry-After: "1"}}, {status: 200}]
        cycle: true
      - match: {method: PUT, body_contains: "needle", headers: {X-Id: "7"}}
        respond: {status: 204}
      - match: {body_regex: "^(a+)+$"}
        respond: {status: 200, body: "{{request.method}} {{request.path}} {{request.query}} {{request.unknown}}", template: true}
      - match: {method: DELETE, body: "exact"}
        respond: {status: 410, fault: close_mid_body, body: "gone"}
    unmatched: {status: 404, body: "no route\n"}
)";

struct Fake {
  bbx::Scenario scenario;
  const bbx::model::HttpFakeSpec* spec = nullptr;
  std::unique_ptr<Router> router;
  std::unique_ptr<ResponsePlanner> planner;

  Fake() {
    bbx::fuzz::ScratchDir scratch;
    auto file = scratch.fresh() / "http.yaml";
    std::ofstream(file) << kScenario;
    scenario = bbx::scenario::load_scenario_file(file).at(0);
    spec = &std::get<bbx::model::HttpFakeSpec>(scenario.fakes.at(0).spec);
    router = std::make_unique<Router>(*spec, "api");
    planner = std::make_unique<ResponsePlanner>(*spec, "api", file.parent_path());
  }
};

void journal_and_answer(Fake& fake, http_detail::Request request, std::uint64_t conn) {
  auto event = std::make_shared<http_detail::RequestBody>();
  event->request = std::move(request);
  const auto& r = event->request;
  RequestView view{r.method_string(), r.target(), {}, r.body()};
  for (const auto& f : r) view.headers.emplace_back(f.name_string(), f.value());
  auto decision = fake.router->route(view);
  auto plan = fake.planner->plan(decision, view);
  event->conn = conn;
  event->client = "127.0.0.1:40000";
  event->route = decision.route;
  event->sequence = plan.sequence_index;
  event->body_cap = fake.spec->body_capture;
  if (decision.route < 0) event->misses = misses_json(decision);

  bbx::util::TextBuffer text;
  event->append_text(text);
  auto tree = event->tree();
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(text.view());
  } catch (...) {
    finding("an http.request body's journal text is not JSON: " + bbx::fuzz::describe_current_exception());
  }
  auto tree_text = tree.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (parsed != nlohmann::json::parse(tree_text))
    finding("an http.request body's journal text and tree differ:\n  text " + std::string(text.view()) + "\n  tree " +
            tree_text);

  // session.hpp build_response
  http::response<http::string_body> response{static_cast<http::status>(plan.response->status), r.version()};
  response.set(http::field::server, "bbx-fake");
  for (const auto& [k, v] : plan.response->headers) response.set(k, v);
  response.body() = plan.body();
  response.keep_alive(r.keep_alive());
  response.prepare_payload();
  (void)(std::ostringstream() << response).str();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fake fake;
  try {
    boost::beast::flat_buffer buffer;
    auto in = buffer.prepare(size);
    if (size > 0) std::memcpy(in.data(), data, size);
    buffer.commit(size);
    const std::uint64_t conn = 1;
    for (;;) {  // one connection: its pipelined requests, one parser each (session.hpp read())
      http::request_parser<http::string_body> parser;
      parser.body_limit(64u << 20);
      parser.eager(true);
      boost::beast::error_code ec;
      bool continued = false;
      if (!http_detail::parse_buffered(buffer, parser, ec)) {
        (void)http_detail::wants_continue(parser, continued);
        // the client closed here: mid-request it is journaled (status 0)
        if (parser.got_some() || buffer.size() > 0) {
          std::string_view unparsed(static_cast<const char*>(buffer.data().data()), buffer.size());
          auto r = http_detail::reject_request(boost::asio::error::eof, false, parser.get().method_string(),
                                               parser.get().target(), unparsed, fake.spec->body_capture, conn, "c");
          (void)r.event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
          if (r.status != 0 || !r.response.empty()) finding("a connection ended mid-request was answered");
        }
        break;
      }
      if (ec) {
        std::string_view unparsed(static_cast<const char*>(buffer.data().data()), buffer.size());
        auto r = http_detail::reject_request(ec, true, parser.get().method_string(), parser.get().target(), unparsed,
                                             fake.spec->body_capture, conn, "c");
        (void)r.event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (r.status != 400 && r.status != 413 && r.status != 431) finding("a refused request answered " + std::to_string(r.status));
        break;
      }
      journal_and_answer(fake, parser.release(), conn);
    }
  } catch (...) {
    finding("the HTTP fake's request path threw: " + bbx::fuzz::describe_current_exception());
  }
  return 0;
}
