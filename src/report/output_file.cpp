#include "report/output_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bbx/error.hpp"

namespace bbx::report {

OutputFile::OutputFile(std::filesystem::path path, const std::string& what) : path_(std::move(path)) {
  if (is_stdout()) {
    fd_ = ::dup(STDOUT_FILENO);
  } else {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  if (fd_ < 0) fail_input({}, "cannot write " + what + " to '" + path_.string() + "': " + std::strerror(errno));
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

OutputFile::OutputFile(OutputFile&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

void OutputFile::write_and_close(const std::string& text) {
  std::size_t done = 0;
  bool ok = fd_ >= 0;
  while (ok && done < text.size()) {
    ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  int saved = errno;
  bool closed = fd_ >= 0 && ::close(fd_) == 0;
  fd_ = -1;
  if (!ok || !closed) fail_harness("cannot write " + path_.string() + ": " + std::strerror(ok ? errno : saved));
}

}  // namespace bbx::report
