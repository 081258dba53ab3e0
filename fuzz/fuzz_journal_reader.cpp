// Fuzz target: the journal's readers over an events.jsonl of any bytes (a journal cut, garbled
// or edited by hand): StoredJournal (journal/stored_journal.hpp: events, the views of lines
// and their bodies, at(), size(), the cut tail) and the comparison's reader
// (compare/run_profile.hpp build_profile: Boost.JSON records, roles, the scenario's compare
// rules, every event type's handler). The input is the file. Bad input is bbx::Error
// (invalid_input: a corrupt line with lines after it, no scenario.begin); at() of a seq that is
// not there is std::out_of_range. Checked besides: an event read from a line writes back as a
// line that reads back as the same event.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <string>

#include "compare/run_profile.hpp"
#include "fuzz_target.hpp"
#include "journal/event_json.hpp"
#include "journal/stored_journal.hpp"

namespace {

using bbx::fuzz::finding;

void touch(const bbx::journal::EventRef& e) {
  (void)e.body.str("type");
  (void)e.body.num("seq");
  (void)e.body.real("value");
  (void)e.body.flag("ok");
  (void)e.body.items("tags");
  (void)e.body.unsigned_items("pids");
  if (auto o = e.body.object("source")) (void)o->json();
  (void)e.body.json();
}

void round_trip(const bbx::Event& e) {
  std::string line;
  try {
    line = bbx::journal::event_to_json_line(e);
  } catch (...) {
    finding("an event read from a journal cannot be written back: " + bbx::fuzz::describe_current_exception());
  }
  bbx::Event back;
  try {
    back = bbx::journal::event_from_json_line(std::string_view(line).substr(0, line.size() - 1));
  } catch (...) {
    finding("a journal line written from a read event does not read back: " + bbx::fuzz::describe_current_exception());
  }
  if (back.seq != e.seq || back.t_ns != e.t_ns || back.wall != e.wall || !(back.source == e.source) ||
      back.type != e.type || back.body != e.body)
    finding("an event changed by writing it back as a journal line: " + line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static bbx::fuzz::ScratchDir scratch;
  auto path = scratch.fresh() / "events.jsonl";
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));

  bbx::fuzz::input_accepted([&] {
    bbx::journal::StoredJournal journal(path);
    std::uint64_t n = journal.size();
    std::uint64_t seen = 0;
    journal.for_each(1, [&](const bbx::Event& e) {
      ++seen;
      round_trip(e);
      return true;
    });
    journal.for_each_ref_of({}, 1, [&](const bbx::journal::EventRef& e) {
      touch(e);
      return true;
    });
    journal.for_each_of({bbx::journal::ev::scenario_begin, bbx::journal::ev::process_exit}, 2,
                        [](const bbx::Event&) { return true; });
    for (std::uint64_t seq : {std::uint64_t{1}, n, n + 1}) {
      try {
        (void)journal.at(seq);
      } catch (const std::out_of_range&) {
      }
    }
    if (seen > n) finding("for_each gave more events than size() counts");
    (void)journal.tail_problem();
  });
  bbx::fuzz::input_accepted([&] { (void)bbx::compare::build_profile(path); });
  return 0;
}
