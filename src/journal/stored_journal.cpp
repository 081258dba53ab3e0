#include "journal/stored_journal.hpp"

#include <stdexcept>
#include <system_error>

#include "bbx/error.hpp"
#include "journal/event_json.hpp"

namespace bbx::journal {

StoredJournal::StoredJournal(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  auto status = std::filesystem::status(path_, ec);
  if (ec || !std::filesystem::exists(status)) fail_input({path_.string()}, "no such journal");
  if (!std::filesystem::is_regular_file(status)) fail_input({path_.string()}, "not a journal file (not a regular file)");
}

LineScan StoredJournal::start_for(std::uint64_t from_seq) const {
  std::lock_guard lock(mutex_);
  std::uint64_t i = from_seq <= 1 ? 0 : (from_seq - 1) / kIndexEvery;
  if (i >= index_.size()) i = index_.size() - 1;
  return {index_[i], UINT64_MAX, i * kIndexEvery + 1};
}

void StoredJournal::note_line(std::uint64_t offset, std::uint64_t line) const {
  if ((line - 1) % kIndexEvery != 0) return;
  std::lock_guard lock(mutex_);
  if ((line - 1) / kIndexEvery == index_.size()) index_.push_back(offset);
}

// scan_range(range, stop_aware_visit, hook) runs scan_events or scan_event_refs.
template <class Ev, class Scan>
std::uint64_t StoredJournal::scan(std::uint64_t from_seq, Scan scan_range) const {
  std::uint64_t resume = 0;  // set when fn stops the scan
  std::uint64_t lines = 0;   // the last complete line seen
  LineHook hook = [&](std::uint64_t offset, std::uint64_t line) {
    note_line(offset, line);
    lines = line;
  };
  auto tail = scan_range(start_for(from_seq), hook, [&](const Ev& e, bool go_on) {
    if (!go_on) resume = e.seq + 1;
    return go_on;
  });
  if (resume) return resume;
  std::lock_guard lock(mutex_);
  if (tail.line) {  // a cut or unparsable last line: not an event
    tail_ = tail;
    lines = tail.line - 1;
  }
  if (!size_ || *size_ < lines) size_ = lines;
  return std::max(lines + 1, from_seq);
}

std::uint64_t StoredJournal::for_each_of(const TypeFilter& types, std::uint64_t from_seq, const Visit& fn) const {
  from_seq = std::max<std::uint64_t>(from_seq, 1);
  return scan<Event>(from_seq, [&](const LineScan& range, const LineHook& hook, auto stop) {
    return scan_events(path_, range, types, [&](const Event& e) { return stop(e, fn(e)); }, from_seq, hook);
  });
}

std::uint64_t StoredJournal::for_each_ref_of(const TypeFilter& types, std::uint64_t from_seq, const RefVisit& fn) const {
  from_seq = std::max<std::uint64_t>(from_seq, 1);
  return scan<EventRef>(from_seq, [&](const LineScan& range, const LineHook& hook, auto stop) {
    return scan_event_refs(path_, range, types, [&](const EventRef& e) { return stop(e, fn(e)); }, from_seq, hook);
  });
}

std::uint64_t StoredJournal::size() const {
  {
    std::lock_guard lock(mutex_);
    if (size_) return *size_;
  }
  // Counting needs no parse: the scan's hook sees every line; fn is never reached.
  std::uint64_t seen = 0;
  std::string last;  // the last complete line: an unparsable one is a cut tail, not an event
  auto start = start_for(UINT64_MAX);
  auto tail = scan_lines(path_, start, [&](std::uint64_t offset, std::uint64_t line, std::string_view text) {
    note_line(offset, line);
    seen = line;
    last.assign(text);
    return true;
  });
  std::uint64_t n = seen ? seen : start.first_line - 1;
  if (seen && !tail.line) {
    try {
      event_from_json_line(last);
    } catch (const std::invalid_argument& e) {
      tail = {seen, e.what()};
      n = seen - 1;
    }
  }
  std::lock_guard lock(mutex_);
  if (tail.line) tail_ = tail;
  size_ = n;
  return n;
}

Event StoredJournal::at(std::uint64_t seq) const {
  std::optional<Event> found;
  if (seq > 0)
    for_each_of({}, seq, [&](const Event& e) {
      found = e;
      return false;
    });
  if (!found || found->seq != seq) throw std::out_of_range("no event " + std::to_string(seq) + " in " + path_.string());
  return *found;
}

std::optional<TailProblem> StoredJournal::tail_problem() const {
  std::lock_guard lock(mutex_);
  return tail_;
}

}  // namespace bbx::journal
