#include "util/line_splitter.hpp"

namespace bbx::util {

void LineSplitter::feed(std::string_view data, const std::function<void(const LinePiece&)>& on_line) {
  while (!data.empty()) {
    auto nl = data.find('\n');
    std::string_view chunk = nl == std::string_view::npos ? data : data.substr(0, nl);
    // Emit full-size pieces of an over-long line as soon as they are complete.
    while (pending_.size() + chunk.size() > max_line_) {
      std::size_t take = max_line_ - pending_.size();
      pending_.append(chunk.substr(0, take));
      chunk.remove_prefix(take);
      on_line({pending_, true, false});
      pending_.clear();
    }
    if (nl == std::string_view::npos) {
      pending_.append(chunk);
      return;
    }
    if (pending_.empty()) {
      on_line({chunk, false, false});
    } else {
      pending_.append(chunk);
      on_line({pending_, false, false});
      pending_.clear();
    }
    data.remove_prefix(nl + 1);
  }
}

void LineSplitter::finish(const std::function<void(const LinePiece&)>& on_line) {
  if (pending_.empty()) return;
  on_line({pending_, false, true});
  pending_.clear();
}

}  // namespace bbx::util
