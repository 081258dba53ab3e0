#include "assert/request_check.hpp"

#include <algorithm>
#include <cctype>

#include "assert/near_miss.hpp"
#include "assert/text_match.hpp"
#include "util/byte_preview.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

constexpr std::size_t kClosestShown = 3;

std::optional<std::string> query_param(const std::string& query, const std::string& name) {
  for (const auto& part : util::split(query, '&')) {
    auto eq = part.find('=');
    if (part.substr(0, eq) == name) return eq == std::string::npos ? "" : part.substr(eq + 1);
  }
  return std::nullopt;
}

std::optional<std::string> header(const nlohmann::json& headers, const std::string& name) {
  if (!headers.is_array()) return std::nullopt;
  for (const auto& h : headers)
    if (h.is_array() && h.size() == 2 && util::iequals(h[0].get<std::string>(), name)) return h[1].get<std::string>();
  return std::nullopt;
}

void diff_value(std::vector<std::string>& out, const std::string& what, const std::string& want,
                const std::optional<std::string>& got, const std::string& hint = "") {
  if (!got) out.push_back(what + " missing" + hint);
  else if (!util::glob_match(want, *got)) out.push_back(what + " differs: expected " + want + ", got " + *got);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// For a header the request lacks: the one it sent whose name is a plausible misspelling of
// it (" (it sent X-Req-Id: 42)"), or "".
std::string similar_header(const nlohmann::json& headers, const std::string& name) {
  if (!headers.is_array()) return "";
  std::vector<std::string> names;
  for (const auto& h : headers)
    if (h.is_array() && h.size() == 2) names.push_back(lower(h[0].get<std::string>()));
  auto close = util::closest_match(lower(name), names);
  if (close.empty()) return "";
  for (const auto& h : headers)
    if (lower(h[0].get<std::string>()) == close)
      return " (it sent " + h[0].get<std::string>() + ": " + h[1].get<std::string>() + ")";
  return "";
}

// "Host: 127.0.0.1:9001, User-Agent: curl/7.88.1" (every header as received).
std::string headers_text(const nlohmann::json& headers) {
  std::vector<std::string> parts;
  if (headers.is_array())
    for (const auto& h : headers)
      if (h.is_array() && h.size() == 2) parts.push_back(h[0].get<std::string>() + ": " + h[1].get<std::string>());
  return parts.empty() ? "none" : util::join(parts, ", ");
}

// "no body" or "body (12 bytes): \"...\"" with its head and tail when long.
std::string body_text(const Event& e) {
  auto body = e.body.value("body", std::string());
  auto bytes = e.body.value("body_bytes", static_cast<std::uint64_t>(body.size()));
  if (bytes == 0) return "no body";
  return "body (" + util::grouped(bytes) + " bytes): " + util::byte_preview(body, 80, 40) +
         (bytes > body.size() ? " (only its first " + util::grouped(body.size()) + " bytes were captured)" : "");
}

bool is_request_at(const std::string& fake, const Event& e) {
  return journal::ev::http_request.is(e.type) && e.source.kind == "fake" && e.source.name == fake;
}

std::string request_text(const Event& e) {
  return e.body.value("method", std::string()) + " " + e.body.value("target", std::string());
}

}  // namespace

std::string describe(const model::RequestExpectation& spec) {
  std::string out = "request at fake '" + spec.fake + "': " + (spec.method.empty() ? "any method" : spec.method) + " " +
                    (spec.path.empty() ? "any path" : spec.path);
  for (const auto& q : spec.query) out += " query " + q.name + "=" + q.value;
  for (const auto& h : spec.headers) out += " header " + h.name + ": " + h.value;
  if (spec.body) out += " body " + describe(*spec.body);
  if (!spec.from.empty()) out += " from " + spec.from;
  return out;
}

std::vector<std::string> RequestCheck::differences(const model::RequestExpectation& spec, const Event& e,
                                                   bool* undecided) {
  std::vector<std::string> out;
  const auto method = e.body.value("method", std::string());
  if (!spec.method.empty() && !util::iequals(method, spec.method))
    out.push_back("method differs: expected " + spec.method + ", got " + method);
  const auto path = e.body.value("path", std::string());
  if (!spec.path.empty() && !util::glob_match(spec.path, path))
    out.push_back("path differs: expected " + spec.path + ", got " + path);
  const auto query = e.body.value("query", std::string());
  for (const auto& q : spec.query) diff_value(out, "query " + q.name, q.value, query_param(query, q.name));
  const auto headers = e.body.value("headers", nlohmann::json());
  for (const auto& h : spec.headers) {
    auto got = header(headers, h.name);
    diff_value(out, "header " + h.name, h.value, got, got ? "" : similar_header(headers, h.name));
  }
  if (!spec.from.empty()) {
    auto from = e.body.find("from");
    if (from == e.body.end() || !from->is_object()) {
      out.push_back("sender unknown: expected " + spec.from + ", but bbx could not find the process that sent it");
    } else {
      auto kind = from->value("kind", std::string());
      auto name = kind == "bbx" ? std::string("bbx") : from->value("name", std::string());
      auto pid = std::to_string(from->value("pid", 0));
      if (name != spec.from || (kind != "subject" && kind != "bbx"))
        out.push_back("sender differs: expected " + spec.from + ", got " +
                      (kind == "subject" ? "subject " + name : kind == "bbx" ? std::string("bbx") : "process " + name) + " (pid " + pid + ")");
    }
  }
  if (spec.body) {
    const auto body = e.body.value("body", std::string());
    auto verdict = Matcher(*spec.body).match(body);
    if (verdict == util::RegexMatch::too_complex && out.empty() && undecided) *undecided = true;
    else if (verdict != util::RegexMatch::yes)
      out.push_back("body differs: expected it " + describe(*spec.body) + ", got " + quote_line(body));
  }
  return out;
}

bool RequestCheck::matches(const model::RequestExpectation& spec, const Event& e) {
  return is_request_at(spec.fake, e) && differences(spec, e).empty();
}

bool RequestCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    if (!is_request_at(spec_.fake, e)) return true;
    bool undecided = false;
    auto diffs = differences(spec_, e, &undecided);
    if (undecided) {  // everything else matched; the body regex could not decide
      ++undecided_;
      return true;
    }
    if (diffs.empty()) {
      ++count_;
      if (evidence_.size() < kEvidenceKept) evidence_.push_back(e.seq);
      if (matched_.size() < kClosestShown) matched_.push_back(request_text(e));
      return true;
    }
    ++other_count_;
    bool same_path = spec_.path.empty() || util::glob_match(spec_.path, e.body.value("path", std::string()));
    Miss m{e.seq, request_text(e), std::move(diffs), same_path, headers_text(e.body.value("headers", nlohmann::json())),
           body_text(e)};
    // Closest first: on the expected path, then fewest differences, then oldest.
    auto pos = std::upper_bound(misses_.begin(), misses_.end(), m, [](const Miss& a, const Miss& b) {
      if (a.same_path != b.same_path) return a.same_path;
      return a.diffs.size() < b.diffs.size();
    });
    misses_.insert(pos, std::move(m));
    if (misses_.size() > kClosestShown) misses_.pop_back();
    return true;
  }, {journal::ev::http_request});
  return undecided_holds(spec_.count, count_, undecided_);
}

CheckResult RequestCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.passed = undecided_holds(spec_.count, count_, undecided_);
  auto range = util::CountRange{spec_.count.min, spec_.count.max, spec_.count.not_equal};
  r.expected = range.describe() + " matching";
  r.actual = std::to_string(count_) + " matching";
  if (spec_.body) r.actual += undecided_note(undecided_, "requests", *spec_.body);
  r.where = where;
  r.evidence = evidence_;
  if (r.passed || undecided_) return r;
  if (count_ > spec_.count.max || (spec_.count.not_equal && count_ == *spec_.count.not_equal)) {
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < matched_.size(); ++i) shown.push_back(matched_[i] + " (seq " + std::to_string(evidence_[i]) + ")");
    r.actual += ": " + util::join(shown, ", ") + (count_ > std::int64_t(shown.size()) ? ", ..." : "");
    return r;
  }
  if (other_count_ == 0) return r;
  // The closest miss on the first line (the headline quotes it), each with what it sent below.
  r.actual += "; closest of " + std::to_string(other_count_) + " other request" + (other_count_ == 1 ? "" : "s") +
              " at '" + spec_.fake + "': ";
  for (std::size_t i = 0; i < misses_.size(); ++i) {
    const auto& m = misses_[i];
    std::string line = m.request + " (seq " + std::to_string(m.seq) + "): " + util::join(m.diffs, ", ");
    r.actual += (i == 0 ? line : "\n    | next: " + line) + "\n    |   headers: " + m.headers + "\n    |   " + m.body;
    r.evidence.push_back(m.seq);
  }
  if (other_count_ > std::int64_t(misses_.size()))
    r.actual += "\n    | and " + std::to_string(other_count_ - std::int64_t(misses_.size())) + " more";
  return r;
}

CheckResult check_strict(const model::StrictExpectation& spec, const std::vector<const model::RequestExpectation*>& requests,
                         const journal::EventLog& journal, const SourceLocation& where) {
  CheckResult r;
  r.what = "strict fake '" + spec.fake + "'";
  r.where = where;
  r.expected = "every request matched a route and a 'request' expectation";
  std::int64_t total = 0;
  std::size_t unexpected = 0;
  std::vector<std::string> bad;
  journal.for_each_of({journal::ev::http_request}, 1, [&](const Event& e) {
    if (!is_request_at(spec.fake, e)) return true;
    ++total;
    std::string why;
    auto expects = [&](const model::RequestExpectation* q) { return q->count.max > 0 && RequestCheck::matches(*q, e); };
    if (!e.body.value("matched", true)) why = "no route";
    else if (std::none_of(requests.begin(), requests.end(), expects))
      why = "no expectation";
    if (!why.empty()) {
      ++unexpected;
      if (r.evidence.size() < kEvidenceKept) r.evidence.push_back(e.seq);
      if (bad.size() < kClosestShown) bad.push_back(request_text(e) + " (seq " + std::to_string(e.seq) + ", " + why + ")");
    }
    return true;
  });
  r.passed = unexpected == 0;
  r.actual = std::to_string(total) + " request" + (total == 1 ? "" : "s");
  if (!r.passed)
    r.actual += ", " + std::to_string(unexpected) + " unexpected: " + util::join(bad, ", ") +
                (unexpected > bad.size() ? ", ..." : "");
  return r;
}

}  // namespace bbx::assertions
