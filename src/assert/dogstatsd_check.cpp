#include "assert/dogstatsd_check.hpp"

#include <algorithm>

#include "assert/near_miss.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {

constexpr std::size_t kShown = 3;

const char* status_word(std::int64_t status) {
  switch (status) {
    case 0: return "ok";
    case 1: return "warning";
    case 2: return "critical";
    case 3: return "unknown";
  }
  return "invalid";
}

bool is_event(const model::DogStatsdExpectation& spec) { return spec.kind == model::DogStatsdExpectation::Kind::event; }

std::string noun(const model::DogStatsdExpectation& spec, std::int64_t n) {
  return is_event(spec) ? (n == 1 ? "statsd event" : "statsd events") : (n == 1 ? "service check" : "service checks");
}

}  // namespace

std::string describe(const model::DogStatsdExpectation& spec) {
  std::string out = noun(spec, 1) + " at fake '" + spec.fake + "'";
  if (!spec.name.empty()) out += ": " + spec.name;
  if (spec.status) out += " status " + std::string(status_word(*spec.status));
  if (spec.text) out += std::string(is_event(spec) ? " text " : " message ") + describe(*spec.text);
  if (!spec.tags.empty()) out += " #" + util::join(spec.tags, ",");
  return out;
}

DogStatsdCheck::DogStatsdCheck(const model::DogStatsdExpectation& spec) : spec_(spec) {
  if (spec.text) match_.emplace(*spec.text);
}

bool DogStatsdCheck::update(const journal::EventLog& journal) {
  const auto& type = is_event(spec_) ? journal::ev::statsd_event : journal::ev::statsd_service_check;
  cursor_.read_new(journal, [&](const Event& e) {
    if (!type.is(e.type) || e.source.kind != "fake" || e.source.name != spec_.fake) return true;
    std::string name = e.body.value(is_event(spec_) ? "title" : "name", std::string());
    std::string text = e.body.value(is_event(spec_) ? "text" : "message", std::string());
    std::vector<std::string> tags;
    for (const auto& t : e.body.value("tags", nlohmann::json::array()))
      if (t.is_string()) tags.push_back(t.get<std::string>());
    std::int64_t status = e.body.value("status", std::int64_t(-1));
    Seen seen{name, {}, e.seq};
    if (!is_event(spec_)) seen.text += " status " + std::string(status_word(status));
    if (!text.empty()) seen.text += (is_event(spec_) ? " text " : " message ") + quote_line(text);
    if (!tags.empty()) seen.text += " #" + util::join(tags, ",");
    if (!spec_.name.empty() && !util::glob_match(spec_.name, name)) seen.diffs.push_back("name " + quote_line(name));
    if (spec_.status && status != *spec_.status)
      seen.diffs.push_back("status " + std::string(status_word(status)) + ", expected " + status_word(*spec_.status));
    if (match_) {
      auto verdict = match_->match(text);
      if (verdict == util::RegexMatch::too_complex) return true;  // counted by the matcher
      if (verdict == util::RegexMatch::no) seen.diffs.push_back(std::string(is_event(spec_) ? "text" : "message") + " differs");
    }
    for (const auto& want : spec_.tags)
      if (std::find(tags.begin(), tags.end(), want) == tags.end()) seen.diffs.push_back("tag " + want + " missing");
    if (seen.diffs.empty()) {
      ++count_;
      if (evidence_.size() < kEvidenceKept) evidence_.push_back(e.seq);
      if (hits_.size() < kShown) hits_.push_back(std::move(seen));
    } else {
      ++other_count_;
      if (others_.size() < kShown) others_.push_back(std::move(seen));
    }
    return true;
  }, {type});
  return undecided_holds(spec_.count, count_, match_ ? match_->undecided() : 0);
}

CheckResult DogStatsdCheck::result(const SourceLocation& where) const {
  std::size_t undecided = match_ ? match_->undecided() : 0;
  CheckResult r;
  r.what = describe(spec_);
  r.where = where;
  r.passed = undecided_holds(spec_.count, count_, undecided);
  util::CountRange range{spec_.count.min, spec_.count.max, spec_.count.not_equal};
  r.expected = range.describe() + " matching";
  r.actual = std::to_string(count_) + " matching";
  if (spec_.text) r.actual += undecided_note(undecided, noun(spec_, 2), *spec_.text);
  r.evidence = evidence_;
  auto ref = [](const Seen& s) {
    return s.text + " (seq " + std::to_string(s.seq) + ")" + (s.diffs.empty() ? "" : ": " + util::join(s.diffs, ", "));
  };
  if (r.passed || undecided) return r;
  if (count_ > spec_.count.max || (spec_.count.not_equal && count_ == *spec_.count.not_equal)) {
    std::vector<std::string> shown;
    for (const auto& h : hits_) shown.push_back(ref(h));
    r.actual += ": " + util::join(shown, ", ") + (count_ > std::int64_t(shown.size()) ? ", ..." : "");
    return r;
  }
  if (other_count_ == 0) {
    r.actual += "; no other " + noun(spec_, 2) + " at '" + spec_.fake + "'";
    return r;
  }
  std::vector<std::string> shown;
  for (const auto& o : others_) {
    shown.push_back(ref(o));
    r.evidence.push_back(o.seq);
  }
  r.actual += "; " + std::to_string(other_count_) + " other " + noun(spec_, other_count_) + " at '" + spec_.fake +
              "': " + util::join(shown, "; ") + (other_count_ > std::int64_t(shown.size()) ? "; ..." : "");
  return r;
}

}  // namespace bbx::assertions
