#include "process/log_tailer.hpp"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/line_splitter.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::process {

namespace {

struct TailedFile {
  int fd = -1;
  ino_t inode = 0;
  off_t offset = 0;
  bool truncated = false;  // tag the next line
  util::LineSplitter splitter;
  ~TailedFile() {
    if (fd >= 0) ::close(fd);
  }
};

std::vector<std::string> expand_glob(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  return out;
}

}  // namespace

struct LogTailer::Impl {
  Impl(runtime::RunContext& ctx, EventSource source) : ctx(ctx), source(std::move(source)), timer(ctx.io()) {}

  void arm() {
    timer.expires_after(std::chrono::milliseconds(10));
    timer.async_wait([this, alive = alive](boost::system::error_code ec) {
      if (ec || !*alive) return;
      poll();
      arm();
    });
  }

  void poll() {
    for (const auto& pattern : patterns)
      for (const auto& path : expand_glob(pattern))
        if (!files.count(path)) open_file(path, files[path]);
    for (auto& [path, file] : files) follow(path, *file);
  }

  void open_file(const std::string& path, std::unique_ptr<TailedFile>& slot) {
    auto f = std::make_unique<TailedFile>();
    f->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st{};
    if (f->fd >= 0 && ::fstat(f->fd, &st) == 0) f->inode = st.st_ino;
    slot = std::move(f);
  }

  void follow(const std::string& path, TailedFile& f) {
    struct stat st{};
    bool exists = ::stat(path.c_str(), &st) == 0;
    if (f.fd >= 0 && (!exists || st.st_ino != f.inode)) {  // rotated or removed: finish the old one
      drain(path, f);
      ::close(f.fd);
      f.fd = -1;
    }
    if (f.fd < 0 && exists) {
      f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      f.inode = st.st_ino;
      f.offset = 0;
    }
    if (f.fd < 0) return;
    struct stat now{};
    if (::fstat(f.fd, &now) == 0 && now.st_size < f.offset) {  // truncated in place
      f.offset = 0;
      f.truncated = true;
    }
    drain(path, f);
  }

  void drain(const std::string& path, TailedFile& f) {
    std::array<char, 64 * 1024> buf;
    for (int rounds = 0; rounds < 64; ++rounds) {  // at most 4 MiB per poll: never starve the loop
      ssize_t n = ::pread(f.fd, buf.data(), buf.size(), f.offset);
      if (n <= 0) return;
      f.offset += n;
      f.splitter.feed({buf.data(), static_cast<std::size_t>(n)}, [&](const util::LinePiece& p) { emit(path, f, p); });
    }
  }

  void emit(const std::string& path, TailedFile& f, const util::LinePiece& piece) {
    std::string shown = path.rfind(sandbox, 0) == 0 ? path.substr(sandbox.size()) : path;  // sandbox-relative
    nlohmann::json body = {{"path", shown}, {"line", util::escape_invalid_utf8(piece.text)}};
    if (piece.split) body["split"] = true;
    if (piece.partial) body["partial"] = true;
    if (f.truncated) body["truncated"] = true;
    f.truncated = false;
    ctx.journal().append(source, journal::ev::log_line, std::move(body));
  }

  runtime::RunContext& ctx;
  EventSource source;
  std::vector<std::string> patterns;
  std::string sandbox;  // with a trailing '/'
  std::map<std::string, std::unique_ptr<TailedFile>> files;
  boost::asio::steady_timer timer;
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
  bool finished = false;
};

LogTailer::LogTailer(runtime::RunContext& ctx, EventSource source, std::vector<std::string> patterns)
    : impl_(std::make_unique<Impl>(ctx, std::move(source))) {
  impl_->sandbox = ctx.sandbox_dir().string() + "/";
  for (auto& p : patterns)
    impl_->patterns.push_back(p.empty() || p[0] == '/' ? p : (ctx.sandbox_dir() / p).string());
  impl_->poll();
  impl_->arm();
}

LogTailer::~LogTailer() {
  *impl_->alive = false;
  impl_->timer.cancel();
}

void LogTailer::poll() { impl_->poll(); }

void LogTailer::finish() {
  if (impl_->finished) return;
  impl_->finished = true;
  *impl_->alive = false;
  impl_->timer.cancel();
  impl_->poll();
  for (auto& [path, file] : impl_->files)
    file->splitter.finish([&, &path = path, &f = *file](const util::LinePiece& p) { impl_->emit(path, f, p); });
}

}  // namespace bbx::process
