#include "journal/line_scan.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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
  std::string buffer;  // unconsumed bytes: a line's start that the next chunk completes
  std::uint64_t offset = range.begin;       // file offset of buffer[0]
  std::uint64_t next_read = range.begin;
  std::uint64_t line = range.first_line;
  std::string chunk(kChunk, '\0');
  for (;;) {
    std::size_t want = kChunk;
    if (range.end != UINT64_MAX) {
      if (next_read >= range.end) break;
      want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, range.end - next_read));
    }
    ssize_t n = ::pread(fd.get(), chunk.data(), want, static_cast<off_t>(next_read));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_harness("cannot read journal " + path.string() + ": " + std::strerror(errno));
    if (n == 0) break;
    next_read += static_cast<std::uint64_t>(n);
    std::string_view data;
    if (buffer.empty()) {
      data = std::string_view(chunk.data(), static_cast<std::size_t>(n));
    } else {
      buffer.append(chunk.data(), static_cast<std::size_t>(n));
      data = buffer;
    }
    std::size_t pos = 0;
    for (;;) {
      auto nl = data.find('\n', pos);
      if (nl == std::string_view::npos) break;
      if (!on_line(offset + pos, line, data.substr(pos, nl - pos))) return {};
      ++line;
      pos = nl + 1;
    }
    std::string rest(data.substr(pos));  // data may point into buffer
    offset += pos;
    buffer = std::move(rest);
  }
  if (!buffer.empty()) return {line, "no newline at the end (the run was cut off)"};
  return {};
}

TailProblem scan_events(const std::filesystem::path& path, const LineScan& range, const TypeFilter& types,
                        const EventLog::Visit& fn, std::uint64_t from_line, const LineHook& on_line) {
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
    Event event;
    try {
      event = event_from_json_line(text);
    } catch (const std::invalid_argument& e) {
      bad = TailProblem{line, e.what()};
      return true;
    }
    if (!types.admits(event.type)) return true;
    if (!fn(event)) {
      stopped = true;
      return false;
    }
    return true;
  });
  if (stopped) return {};
  if (bad) {
    if (tail.line) fail_input({path.string(), static_cast<int>(bad->line), 1}, bad->what);
    return *bad;
  }
  return tail;
}

}  // namespace bbx::journal
