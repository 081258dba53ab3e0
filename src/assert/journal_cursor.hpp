// Incremental reading of the journal for checks: each read_new() call sees only events not
// seen before, optionally limited to a window (a `during` between two events).
#pragma once

#include <cstdint>
#include <functional>

#include "journal/journal.hpp"

namespace bbx::assertions {

class JournalCursor {
 public:
  // Only events with after < seq < before are read from now on.
  void limit(std::uint64_t after, std::uint64_t before) {
    next_ = after + 1;
    last_ = before - 1;
  }

  // Calls fn for each unseen event inside the window, in seq order, until fn returns false.
  void read_new(const journal::Journal& journal, const std::function<bool(const Event&)>& fn) {
    journal.for_each(next_, [&](const Event& e) {
      if (e.seq > last_) return false;
      next_ = e.seq + 1;
      return fn(e);
    });
  }

 private:
  std::uint64_t next_ = 1;
  std::uint64_t last_ = UINT64_MAX;
};

}  // namespace bbx::assertions
