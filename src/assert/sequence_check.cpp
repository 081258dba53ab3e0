#include "assert/sequence_check.hpp"

#include "util/text.hpp"

namespace bbx::assertions {

SequenceCheck::SequenceCheck(const model::SequenceExpectation& spec) : spec_(spec), first_any_(spec.items.size(), 0) {
  for (const auto& item : spec.items) items_.emplace_back(item);
}

bool SequenceCheck::matches(std::size_t i, const Event& e) const { return items_[i].matches(e); }

bool SequenceCheck::update(const journal::EventLog& journal) {
  cursor_.read_new(journal, [this](const Event& e) {
    for (std::size_t i = 0; i < spec_.items.size(); ++i)
      if (!first_any_[i] && matches(i, e)) first_any_[i] = e.seq;
    if (matched_ < spec_.items.size() && matches(matched_, e)) {
      seqs_.push_back(e.seq);
      ++matched_;
    }
    return true;
  });
  return matched_ == spec_.items.size();
}

CheckResult SequenceCheck::result(const SourceLocation& where) const {
  CheckResult r;
  r.where = where;
  r.what = "sequence of " + std::to_string(spec_.items.size()) + " events";
  std::vector<std::string> items;
  for (const auto& item : spec_.items) items.push_back(describe(item));
  r.expected = "in order: " + util::join(items, ", then ");
  r.evidence = seqs_;
  r.passed = matched_ == spec_.items.size();
  std::vector<std::string> seen;
  for (auto s : seqs_) seen.push_back("seq " + std::to_string(s));
  if (r.passed) {
    r.actual = "at " + util::join(seen, ", ");
    return r;
  }
  const auto& missing = items[matched_];
  std::string prefix = seqs_.empty() ? "" : "matched " + std::to_string(matched_) + " (" + util::join(seen, ", ") + "); ";
  auto first = first_any_[matched_];
  if (first == 0) {
    r.actual = prefix + "item " + std::to_string(matched_ + 1) + " (" + missing + ") never occurred";
  } else {
    r.actual = prefix + "item " + std::to_string(matched_ + 1) + " (" + missing + ") did not follow seq " +
               std::to_string(seqs_.back()) + "; it occurred only before, at seq " + std::to_string(first);
    r.evidence.push_back(first);
  }
  for (std::size_t i = 0; i < items_.size(); ++i) r.actual += items_[i].undecided_note("events of item " + std::to_string(i + 1));
  return r;
}

WindowBounds find_window(const model::Window& w, const journal::EventLog& journal) {
  model::SequenceExpectation seq{{w.from}};
  if (w.to) seq.items.push_back(*w.to);
  SequenceCheck check(seq);
  check.update(journal);
  WindowBounds b;
  const auto& seqs = check.matched_seqs();
  if (seqs.empty()) return b;
  b.opened = true;
  b.after = seqs[0];
  if (seqs.size() > 1) b.before = seqs[1];
  return b;
}

std::string describe(const model::Window& w) {
  return " during (" + describe(w.from) + " .. " + (w.to ? describe(*w.to) : std::string("end")) + ")";
}

}  // namespace bbx::assertions
