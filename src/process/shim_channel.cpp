#include "process/shim_channel.hpp"

#include <fcntl.h>

#include <array>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace bbx::process {

namespace {

struct ReportReader : std::enable_shared_from_this<ReportReader> {
  ReportReader(runtime::RunContext& ctx, int fd) : pipe(ctx.io(), fd) {}

  void read() {
    pipe.async_read_some(boost::asio::buffer(buffer), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      self->pending.append(self->buffer.data(), n);
      std::size_t nl;
      while ((nl = self->pending.find('\n')) != std::string::npos) {
        auto report = parse_shim_report(self->pending.substr(0, nl));
        self->pending.erase(0, nl + 1);
        if (report) self->on_report(*report);
      }
      if (ec) {
        if (self->on_eof) self->on_eof();
        return;
      }
      self->read();
    });
  }

  boost::asio::posix::stream_descriptor pipe;
  std::array<char, 4096> buffer{};
  std::string pending;
  std::function<void(const ShimReport&)> on_report;
  std::function<void()> on_eof;
};

}  // namespace

void read_shim_reports(runtime::RunContext& ctx, int fd, std::function<void(const ShimReport&)> on_report,
                       std::function<void()> on_eof) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  auto reader = std::make_shared<ReportReader>(ctx, fd);
  reader->on_report = std::move(on_report);
  reader->on_eof = std::move(on_eof);
  reader->read();
}

}  // namespace bbx::process
