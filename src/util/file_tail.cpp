#include "util/file_tail.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/text.hpp"

namespace bbx::util {

FileTail tail_of_file(const std::filesystem::path& path, std::size_t n, std::size_t max_bytes) {
  FileTail out;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return out;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return out;
  }
  out.size = static_cast<std::uint64_t>(st.st_size);
  std::uint64_t from = out.size > max_bytes ? out.size - max_bytes : 0;
  std::string text(static_cast<std::size_t>(out.size - from), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    ssize_t r = ::pread(fd, text.data() + got, text.size() - got, static_cast<off_t>(from + got));
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  text.resize(got);
  out.readable = true;
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text.empty()) return out;
  auto lines = split(text, '\n');
  std::size_t first = 0;
  if (from > 0) first = 1;  // the first piece is a cut line
  if (lines.size() - first > n) {
    out.more = true;
    first = lines.size() - n;
  } else if (first > 0) {
    out.more = true;
  }
  out.lines.assign(lines.begin() + static_cast<long>(first), lines.end());
  return out;
}

}  // namespace bbx::util
