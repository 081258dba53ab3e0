// The regular files a process holds open for writing, from /proc: this test process's own.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "assert_test_support.hpp"
#include "probes/open_files.hpp"

TEST_CASE("files open for writing are found; read-only ones, pipes and deleted files are not") {
  auto dir = bbx::testing::unit_temp_dir("open-files");
  int w = ::open((dir / "w.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  int rw = ::open((dir / "rw.dat").c_str(), O_RDWR | O_CREAT, 0644);
  int r = ::open((dir / "rw.dat").c_str(), O_RDONLY);
  int gone = ::open((dir / "gone.log").c_str(), O_WRONLY | O_CREAT, 0644);
  ::unlink((dir / "gone.log").c_str());
  int pipefd[2];
  REQUIRE(::pipe(pipefd) == 0);
  auto files = bbx::probes::files_open_for_writing({::getpid()});
  auto found = [&](const std::string& name) {
    return std::count(files.begin(), files.end(), (dir / name).string()) == 1;
  };
  CHECK(found("w.log"));
  CHECK(found("rw.dat"));  // once, though opened twice
  CHECK_FALSE(found("gone.log"));
  for (const auto& f : files) CHECK(f[0] == '/');
  CHECK(bbx::probes::files_open_for_writing({999999999}).empty());
  for (int fd : {w, rw, r, gone, pipefd[0], pipefd[1]}) ::close(fd);
}
