#include "journal/line_scan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "bbx/error.hpp"
#include "journal/event_json.hpp"

namespace bbx::journal {

namespace {

constexpr std::size_t kChunk = 1 << 20;

class Fd {
 public:
  explicit Fd(const std::filesystem::path& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ < 0) fail_harness("cannot open journal " + path.string() + ": " + std::strerror(errno));
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

TailProblem scan_lines(const std::filesystem::path& path, const LineScan& range,
                       const std::function<bool(std::uint64_t, std::uint64_t, std::string_view)>& on_line) {
  Fd fd(path);
  // One buffer: the unfinished line of the last read at its front, the next read after it.
  // Reads start small (a point lookup needs a few lines) and double up to kChunk (a scan).
  std::unique_ptr<char[]> buf;
  std::size_t cap = 0, have = 0;
  std::size_t read_size = 64 << 10;
  std::uint64_t offset = range.begin;       // file offset of buf[0]
  std::uint64_t next_read = range.begin;
  std::uint64_t line = range.first_line;
  for (;;) {
    std::size_t want = read_size;
    if (range.end != UINT64_MAX) {
      if (next_read >= range.end) break;
      want = static_cast<std::size_t>(std::min<std::uint64_t>(want, range.end - next_read));
    }
    if (cap < have + want) {
      std::size_t bigger = std::max(have + want, cap * 2);
      auto grown = std::make_unique_for_overwrite<char[]>(bigger);
      if (have) std::memcpy(grown.get(), buf.get(), have);
      buf = std::move(grown);
      cap = bigger;
    }
    ssize_t n = ::pread(fd.get(), buf.get() + have, want, static_cast<off_t>(next_read));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_harness("cannot read journal " + path.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    next_read += static_cast<std::uint64_t>(n);
    std::string_view data(buf.get(), have + static_cast<std::size_t>(n));
    std::size_t pos = 0;
    for (;;) {
      auto nl = data.find('\n', pos);
      if (nl == std::string_view::npos) break;
      if (!on_line(offset + pos, line, data.substr(pos, nl - pos))) return {};
      ++line;
      pos = nl + 1;
    }
    have = data.size() - pos;
    if (have) std::memmove(buf.get(), buf.get() + pos, have);
    offset += pos;
    read_size = std::min(read_size * 2, kChunk);
  }
  if (have) return {line, "no newline at the end (the run was cut off)"};
  return {};
}

namespace {

// The scan behind scan_events and scan_event_refs: parse(line text) makes the event (or
// throws std::invalid_argument for a line that is not one), visit(event) says whether to go on.
template <class Parse, class Visit>
TailProblem scan_parsed(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                        std::uint64_t from_line, const LineHook& on_line, Parse parse, Visit visit) {
  // A bad line is held until the next line shows it was not the last one.
  std::optional<TailProblem> bad;
  bool stopped = false;
  auto tail = scan_lines(path, range, [&](std::uint64_t offset, std::uint64_t line, std::string_view text) {
    if (bad) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    if (on_line) on_line(offset, line);
    if (line < from_line) return true;
    if (!types.all()) {
      auto type = line_type(text);
      if (!type.empty() && !types.admits(type)) return true;
    }
    decltype(parse(text)) event;
    try {
      event = parse(text);
    } catch (const std::invalid_argument& e) {
      bad = TailProblem{line, e.what()};
      return true;
    }
    if (!types.admits(event.type)) return true;
    if (visit(event)) return true;
    stopped = true;
    return false;
  });
  if (stopped) return {};
  if (bad) {
    if (tail.line) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    return *bad;
  }
  return tail;
}

}  // namespace

TailProblem scan_events(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                        const EventLog::Visit& fn, std::uint64_t from_line, const LineHook& on_line) {
  return scan_parsed(
      path, range, types, from_line, on_line, [](std::string_view text) { return event_from_json_line(text); },
      [&](const Event& e) { return fn(e); });
}

TailProblem scan_event_refs(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                            const EventLog::RefVisit& fn, std::uint64_t from_line, const LineHook& on_line) {
  Event parsed;  // a line not in the writer's form, parsed whole
  return scan_parsed(
      path, range, types, from_line, on_line,
      [&](std::string_view text) -> EventRef {
        if (auto ref = event_ref_of_line(text)) return *ref;
        parsed = event_from_json_line(text);
        return EventRef(parsed);
      },
      [&](const EventRef& e) { return fn(e); });
}

}  // namespace bbx::journal
