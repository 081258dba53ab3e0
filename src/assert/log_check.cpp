#include "assert/log_check.hpp"

#include <algorithm>
#include <fstream>

#include "assert/near_miss.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {
constexpr std::size_t kHitsShown = 3;  // near misses shown when nothing matched
constexpr std::size_t kCandidatesKept = 200;
}  // namespace

std::string describe(const model::LogExpectation& spec) {
  std::string source = spec.file.empty() ? "log of subject '" + spec.subject + "' (" + spec.stream + ")"
                                         : "log file '" + spec.file + "'";
  if (spec.errors) return source + ": error lines /" + spec.errors->pattern + "/";
  return source + ": " + describe(*spec.match);
}

LineTally::LineTally(const model::LogExpectation& spec) : spec_(spec) {
  if (spec.match) match_.emplace(*spec.match);
  if (spec.errors) errors_.emplace(*spec.errors);
  for (const auto& o : spec.only) only_.emplace_back(o);
}

void LineTally::add(const std::string& line, const std::string& ref, std::uint64_t seq) {
  ++total_;
  using util::RegexMatch;
  bool hit = false;
  if (errors_) {
    auto error = errors_->match(line);
    if (error == RegexMatch::no) return;
    if (error == RegexMatch::too_complex) return void(++undecided_);
    ++error_lines_;
    bool allowed = false, unsure = false;
    for (const auto& m : only_) {
      auto r = m.match(line);
      allowed = allowed || r == RegexMatch::yes;
      unsure = unsure || r == RegexMatch::too_complex;
    }
    if (!allowed && unsure) return void(++undecided_);
    hit = !allowed;
  } else {
    auto r = match_->match(line);
    if (r == RegexMatch::too_complex) return void(++undecided_);
    hit = r == RegexMatch::yes;
  }
  if (hit) {
    ++count_;
    if (hits_.size() < kEvidenceKept) hits_.push_back({line, ref, seq});
  } else if (!errors_) {
    if (others_.size() == kCandidatesKept) others_.erase(others_.begin());
    others_.push_back({line, ref, seq});
  }
}

bool LineTally::satisfied() const {
  return errors_ ? count_ == 0 && undecided_ == 0 : undecided_holds(spec_.count, count_, undecided_);
}

CheckResult LineTally::result(const std::string& what, const SourceLocation& where) const {
  CheckResult r;
  r.what = what;
  r.where = where;
  r.passed = satisfied();
  for (const auto& h : hits_)
    if (h.seq) r.evidence.push_back(h.seq);
  r = errors_ ? errors_result(r) : count_result(r);
  r.actual += undecided_note(undecided_, "lines", errors_ ? *spec_.errors : *spec_.match);
  return r;
}

CheckResult LineTally::count_result(CheckResult r) const {
  util::CountRange range{spec_.count.min, spec_.count.max, spec_.count.not_equal};
  r.expected = range.describe() + " matching line" + (spec_.count.min == 1 && spec_.count.max == 1 ? "" : "s");
  r.actual = std::to_string(count_) + " matching";
  if (r.passed) return r;
  if (count_ > 0) {
    r.actual += ": " + listed_hits();
  } else if (others_.empty()) {
    r.actual += "; no lines at all";
  } else {
    std::vector<std::string> texts;
    for (const auto& o : others_) texts.push_back(o.text);
    auto ranked = rank_lines(*spec_.match, texts, kHitsShown);
    std::vector<std::string> shown;
    for (auto i : ranked) {
      shown.push_back(others_[i].ref + " " + quote_output(others_[i].text));
      if (others_[i].seq) r.evidence.push_back(others_[i].seq);
    }
    r.actual += " of " + std::to_string(total_) + (total_ == 1 ? " line" : " lines") + "; closest: " + util::join(shown, ", ");
  }
  return r;
}

CheckResult LineTally::errors_result(CheckResult r) const {
  std::vector<std::string> allowed;
  for (const auto& o : spec_.only) allowed.push_back("/" + o.pattern + "/");
  r.expected = allowed.empty() ? "no error lines" : "no error lines other than " + util::join(allowed, ", ");
  if (r.passed || count_ == 0) {
    r.actual = std::to_string(error_lines_) + " error line" + (error_lines_ == 1 ? "" : "s") + ", all expected";
    return r;
  }
  r.actual = std::to_string(count_) + " unexpected error line" + (count_ == 1 ? "" : "s") + ": " + listed_hits();
  return r;
}

// The first matching line on the message's first line, the next ones below it, up to
// kLinesShown in all, then how many more there were.
std::string LineTally::listed_hits() const {
  auto text = [&](const Line& h) { return h.ref + " " + quote_output(h.text); };
  if (hits_.empty()) return "";
  std::vector<std::string> rest;
  for (std::size_t i = 1; i < hits_.size() && i < kLinesShown; ++i) rest.push_back(text(hits_[i]));
  return text(hits_[0]) + quoted_lines(rest, static_cast<std::size_t>(count_) - 1, "matching line");
}

bool LogCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    if (!journal::ev::output_line.is(e.type) || e.source.kind != "subject" || e.source.name != spec_.subject) return true;
    const auto stream = e.body.value("stream", std::string());
    if (spec_.stream != "both" && stream != spec_.stream) return true;
    tally_.add(e.body.value("line", std::string()), "seq " + std::to_string(e.seq), e.seq);
    return true;
  }, {journal::ev::output_line});
  return tally_.satisfied();
}

CheckResult LogCheck::result(const SourceLocation& where) const { return tally_.result(describe(spec_), where); }

CheckResult check_log_file(const model::LogExpectation& spec, const std::filesystem::path& sandbox,
                           const SourceLocation& where) {
  std::ifstream in(sandbox / spec.file);
  if (!in) {
    CheckResult r;
    r.what = describe(spec);
    r.where = where;
    r.expected = "the file exists";
    r.actual = "no such file in the sandbox";
    return r;
  }
  LineTally tally(spec);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) tally.add(line, "line " + std::to_string(n), 0);
  return tally.result(describe(spec), where);
}

}  // namespace bbx::assertions
