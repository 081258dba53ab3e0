#include "fakes/http/plan.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace bbx::fakes {

static std::string placeholder(std::string_view name, const RequestView& r, bool& known) {
  known = true;
  if (name == "request.method") return std::string(r.method);
  if (name == "request.path") return std::string(path_of(r.target));
  if (name == "request.target") return std::string(r.target);
  if (name == "request.query") return std::string(query_of(r.target));
  if (name == "request.body") return std::string(r.body);
  if (name.starts_with("request.query.")) return std::string(query_param(query_of(r.target), name.substr(14)).value_or(""));
  if (name.starts_with("request.header.")) return std::string(header_value(r, name.substr(15)).value_or(""));
  known = false;
  return {};
}

std::string fill_template(std::string_view body, const RequestView& request) {
  std::string out;
  out.reserve(body.size());
  for (;;) {
    auto open = body.find("{{");
    auto close = open == std::string_view::npos ? open : body.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(body.substr(0, open));
    auto name = body.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    bool known = false;
    auto value = placeholder(name, request, known);
    out.append(known ? std::string_view(value) : body.substr(open, close + 2 - open));
    body.remove_prefix(close + 2);
  }
  out.append(body);
  return out;
}

static std::string read_body_file(const std::string& fake_name, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail_scenario("fake '" + fake_name + "': cannot read body_file " + file.string() + ": " + std::strerror(errno));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ResponsePlanner::ResponsePlanner(const model::HttpFakeSpec& http, const std::string& fake_name,
                                 const std::filesystem::path& scenario_dir, std::uint64_t seed)
    : http_(http), hits_(http.routes.size(), 0), rng_(seed) {
  auto load = [&](const model::HttpResponse& r) {
    if (!r.body_file.empty()) files_[&r] = read_body_file(fake_name, scenario_dir / r.body_file);
  };
  for (const auto& route : http.routes) {
    load(route.respond);
    for (const auto& r : route.sequence) load(r);
  }
  load(http.unmatched);
}

ResponsePlan ResponsePlanner::plan(const RouteDecision& decision, const RequestView& request) {
  ResponsePlan p;
  p.response = decision.response;
  if (decision.route >= 0) {
    const auto& route = http_.routes[static_cast<std::size_t>(decision.route)];
    auto n = hits_[static_cast<std::size_t>(decision.route)]++;
    if (!route.sequence.empty()) {
      auto size = route.sequence.size();
      auto i = route.cycle ? n % size : std::min<std::uint64_t>(n, size - 1);
      p.response = &route.sequence[i];
      p.sequence_index = static_cast<int>(i);
    }
  }
  const auto& r = *p.response;
  auto file = files_.find(&r);
  const std::string& raw = file == files_.end() ? r.body : file->second;
  if (r.templated) p.filled = fill_template(raw, request);
  else p.shared_body = &raw;
  p.delay = r.delay;
  if (r.delay_max > r.delay) {
    std::uniform_int_distribution<std::int64_t> d(r.delay.count(), r.delay_max.count());
    p.delay = model::Duration(d(rng_));
  }
  return p;
}

}  // namespace bbx::fakes
