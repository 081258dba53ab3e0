// Incremental reading of the journal for checks: each read_new() call sees only events not
// seen before, optionally limited to a window (a `during` between two events).
#pragma once

#include <cstdint>
#include <algorithm>
#include <functional>
#include <initializer_list>
#include <string_view>

#include "journal/event_log.hpp"

namespace bbx::assertions {

class JournalCursor {
 public:
  // Only events with after < seq < before are read from now on.
  void limit(std::uint64_t after, std::uint64_t before) {
    next_ = after + 1;
    last_ = before - 1;
  }

  // Calls fn for each unseen event inside the window, in seq order, until fn returns false.
  // With types, only events of those types (the others are passed over, never made into trees).
  void read_new(const journal::EventLog& journal, const std::function<bool(const Event&)>& fn,
                const journal::TypeFilter& types = {}) {
    if (last_ != UINT64_MAX && next_ > last_) return;  // the window is read to its end
    auto after = journal.for_each_of(types, next_, [&](const Event& e) { return e.seq <= last_ && fn(e); });
    next_ = last_ == UINT64_MAX ? after : std::min(after, last_ + 1);  // never past the window's end
  }

 private:
  std::uint64_t next_ = 1;
  std::uint64_t last_ = UINT64_MAX;
};

}  // namespace bbx::assertions
