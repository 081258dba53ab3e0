#include "report/junit_reporter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "bbx/error.hpp"
#include "report/junit.hpp"

namespace bbx::report {

namespace {

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += std::size_t(n);
  }
  return true;
}

}  // namespace

JunitReporter::JunitReporter(const std::vector<std::filesystem::path>& files, bool in_run_dir, JunitOptions options)
    : in_run_dir_(in_run_dir), options_(std::move(options)) {
  for (const auto& path : files) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
      std::string why = std::strerror(errno);
      for (auto& f : files_) ::close(f.fd);
      files_.clear();
      fail_input({}, "cannot write JUnit XML to '" + path.string() + "': " + why);
    }
    files_.push_back({path, fd});
  }
}

JunitReporter::~JunitReporter() {
  for (auto& f : files_)
    if (f.fd >= 0) ::close(f.fd);
}

void JunitReporter::run_done(const RunSummary& summary) {
  const std::string xml = junit_xml(summary, options_);
  for (auto& f : files_) {
    bool written = write_all(f.fd, xml);
    bool closed = ::close(f.fd) == 0;
    f.fd = -1;
    if (!written || !closed) fail_harness("cannot write " + f.path.string() + ": " + std::strerror(errno));
  }
  if (in_run_dir_) write_junit(std::filesystem::path(summary.run_dir) / "junit.xml", summary, options_);
}

}  // namespace bbx::report
