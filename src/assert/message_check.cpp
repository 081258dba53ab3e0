#include "assert/message_check.hpp"

#include "assert/near_miss.hpp"
#include "util/text.hpp"
#include "util/units.hpp"

namespace bbx::assertions {

namespace {
constexpr std::size_t kShown = 3;
constexpr std::size_t kOthersKept = 200;

std::string ref(const std::string& text, std::uint64_t seq, std::uint64_t conn) {
  return quote_line(text) + " (seq " + std::to_string(seq) + ", conn " + std::to_string(conn) + ")";
}
}  // namespace

std::string describe(const model::MessageExpectation& spec) {
  if (!spec.text) return "any message at fake '" + spec.fake + "'";
  return "message at fake '" + spec.fake + "' " + describe(*spec.text);
}

MessageCheck::MessageCheck(const model::MessageExpectation& spec) : spec_(spec) {
  if (spec.text) match_.emplace(*spec.text);
}

bool MessageCheck::is_message_at(const std::string& fake, const Event& e) {
  return journal::ev::tcp_message.is(e.type) && e.source.kind == "fake" && e.source.name == fake;
}

bool MessageCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    if (!is_message_at(spec_.fake, e)) return true;
    Seen seen{e.body.value("data", std::string()), e.seq, e.body.value("conn", std::uint64_t(0))};
    auto verdict = match_ ? match_->match(seen.text) : util::RegexMatch::yes;
    if (verdict == util::RegexMatch::too_complex) return true;  // counted by the matcher
    if (verdict == util::RegexMatch::yes) {
      ++count_;
      if (evidence_.size() < kEvidenceKept) evidence_.push_back(e.seq);
      if (hits_.size() < kShown) hits_.push_back(std::move(seen));
      return true;
    }
    ++other_count_;
    if (others_.size() == kOthersKept) others_.erase(others_.begin());
    others_.push_back(std::move(seen));
    return true;
  }, {journal::ev::tcp_message});
  return undecided_holds(spec_.count, count_, undecided());
}

CheckResult MessageCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.what = describe(spec_);
  r.where = where;
  r.passed = undecided_holds(spec_.count, count_, undecided());
  util::CountRange range{spec_.count.min, spec_.count.max, spec_.count.not_equal};
  r.expected = range.describe() + " matching";
  r.actual = std::to_string(count_) + " matching";
  if (spec_.text) r.actual += undecided_note(undecided(), "messages", *spec_.text);
  r.evidence = evidence_;
  if (r.passed || undecided()) return r;
  if (count_ > spec_.count.max || (spec_.count.not_equal && count_ == *spec_.count.not_equal)) {
    std::vector<std::string> shown;
    for (const auto& h : hits_) shown.push_back(ref(h.text, h.seq, h.conn));
    r.actual += ": " + util::join(shown, ", ") + (count_ > std::int64_t(shown.size()) ? ", ..." : "");
    return r;
  }
  if (other_count_ == 0) {
    r.actual += "; no other messages at '" + spec_.fake + "'";
    return r;
  }
  r.actual += "; " + std::to_string(other_count_) + " other message" + (other_count_ == 1 ? "" : "s") + " at '" +
              spec_.fake + "'; closest: ";
  std::vector<std::string> texts;
  for (const auto& o : others_) texts.push_back(o.text);
  std::vector<std::string> shown;
  for (auto i : rank_lines(*spec_.text, texts, kShown)) {
    shown.push_back(ref(others_[i].text, others_[i].seq, others_[i].conn));
    r.evidence.push_back(others_[i].seq);
  }
  r.actual += util::join(shown, ", ");
  return r;
}

}  // namespace bbx::assertions
