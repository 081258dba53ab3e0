#include "util/line_splitter.hpp"

#include <algorithm>

namespace bbx::util {

LineSplitter::LineSplitter(std::size_t max_line, std::string delimiter)
    : max_line_(std::max<std::size_t>(max_line, 1)), delimiter_(delimiter.empty() ? "\n" : std::move(delimiter)) {}

// Emits the lines of `buffer` whose delimiter begins at or after `from`, and max_line
// pieces of the unterminated rest while more than max_line bytes of it cannot begin a
// delimiter. Returns the bytes of `buffer` consumed.
std::size_t LineSplitter::cut(std::string_view buffer, std::size_t from, const Sink& on_line) {
  const std::size_t hold = delimiter_.size() - 1;  // bytes that may begin a delimiter
  std::size_t start = 0;
  for (;;) {
    auto end = buffer.find(delimiter_, from);
    if (end == std::string_view::npos) {
      while (buffer.size() - start > max_line_ + hold) {
        on_line({buffer.substr(start, max_line_), true, false});
        start += max_line_;
      }
      return start;
    }
    std::string_view line = buffer.substr(start, end - start);
    for (; line.size() > max_line_; line.remove_prefix(max_line_)) on_line({line.substr(0, max_line_), true, false});
    on_line({line, false, false});
    start = from = end + delimiter_.size();
  }
}

void LineSplitter::feed(std::string_view data, const Sink& on_line) {
  if (pending_.empty()) {  // lines within data are emitted from it, not copied
    auto used = cut(data, 0, on_line);
    pending_.assign(data.substr(used));
    return;
  }
  // A delimiter may begin in the last delimiter-1 bytes held and end in data.
  std::size_t from = pending_.size() - std::min(pending_.size(), delimiter_.size() - 1);
  pending_.append(data);
  auto used = cut(pending_, from, on_line);
  pending_.erase(0, used);
}

void LineSplitter::finish(const Sink& on_line) {
  if (pending_.empty()) return;
  std::string rest = std::move(pending_);
  pending_.clear();
  std::string_view text = rest;
  for (; text.size() > max_line_; text.remove_prefix(max_line_)) on_line({text.substr(0, max_line_), true, false});
  on_line({text, false, true});
}

}  // namespace bbx::util
