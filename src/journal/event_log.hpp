// The one read interface over a journal, live or stored: checks, samples.csv and every
// view read events through it. Implemented by the live Journal (journal.hpp) and by the
// streaming reader of an events.jsonl file (StoredJournal, stored_journal.hpp), so anything
// written against it works during a run and after it.
//
// Contracts of every implementation:
// - Events come in seq order, seqs dense from 1.
// - A type-filtered scan passes over events of other types without parsing them.
// - Memory stays bounded whatever the journal's size: nothing holds every event.
// - Safe to call from any thread; fn must not append to the journal it reads.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "bbx/event.hpp"
#include "journal/event_ref.hpp"
#include "journal/event_types.hpp"

namespace bbx::journal {

// Which event types a scan wants: every type (the default), catalogued types, or names
// given at run time (a user's --type filter).
class TypeFilter {
 public:
  TypeFilter() = default;
  TypeFilter(std::initializer_list<EventType> types) {
    for (const auto& t : types) names_.emplace_back(t.name());
  }
  explicit TypeFilter(std::vector<std::string> names) : names_(std::move(names)) {}

  bool all() const { return names_.empty(); }
  bool admits(std::string_view type) const {
    if (names_.empty()) return true;
    for (const auto& n : names_)
      if (n == type) return true;
    return false;
  }

 private:
  std::vector<std::string> names_;
};

class EventLog {
 public:
  using Visit = std::function<bool(const Event&)>;
  using RefVisit = std::function<bool(const EventRef&)>;
  virtual ~EventLog() = default;

  // Calls fn(event) for each event with seq >= from_seq that `types` admits, in seq order,
  // until fn returns false. Returns the seq after the last event looked at: where an
  // incremental scan resumes (on a live journal, events appended meanwhile come next).
  virtual std::uint64_t for_each_of(const TypeFilter& types, std::uint64_t from_seq, const Visit& fn) const = 0;
  // The number of events (a live journal: appended so far).
  virtual std::uint64_t size() const = 0;
  // One event by seq. Throws std::out_of_range when there is none.
  virtual Event at(std::uint64_t seq) const = 0;

  // for_each_of() as views (journal/event_ref.hpp), valid during fn only. A stored journal
  // gives views of its lines without parsing their bodies into trees (the views' fast path);
  // the default views the events for_each_of() gives.
  virtual std::uint64_t for_each_ref_of(const TypeFilter& types, std::uint64_t from_seq, const RefVisit& fn) const {
    return for_each_of(types, from_seq, [&](const Event& e) { return fn(EventRef(e)); });
  }

  void for_each(std::uint64_t from_seq, const Visit& fn) const { for_each_of({}, from_seq, fn); }
};

}  // namespace bbx::journal
