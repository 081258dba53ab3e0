#include "process/output_reader.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include <array>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "util/line_splitter.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::process {

namespace {

struct Reader : std::enable_shared_from_this<Reader> {
  Reader(runtime::RunContext& ctx, int fd, OutputSink sink)
      : ctx(ctx), pipe(ctx.io(), fd), sink(std::move(sink)), raw(this->sink.raw_copy, std::ios::binary | std::ios::app) {}

  void read() {
    pipe.async_read_some(boost::asio::buffer(buffer),
                         [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                           self->on_read(ec, n);
                         });
  }

  void on_read(boost::system::error_code ec, std::size_t n) {
    auto emit = [this](const util::LinePiece& piece) { journal_line(piece); };
    if (n > 0) {
      std::string_view data(buffer.data(), n);
      raw.write(data.data(), static_cast<std::streamsize>(n));
      raw.flush();
      if (sink.echo_fd >= 0) echo(data);
      splitter.feed(data, emit);
    }
    if (ec) {  // EOF or error: the stream is over
      splitter.finish(emit);
      if (sink.on_eof) sink.on_eof();
      return;
    }
    read();
  }

  // Best effort: a closed or full terminal must not stop the journaling.
  void echo(std::string_view data) const {
    while (!data.empty()) {
      auto w = ::write(sink.echo_fd, data.data(), data.size());
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(w));
    }
  }

  void journal_line(const util::LinePiece& piece) {
    std::string line = util::escape_invalid_utf8(piece.text);
    nlohmann::json body = {{"stream", sink.stream}, {"line", line}};
    if (piece.split) body["split"] = true;
    if (piece.partial) body["partial"] = true;
    ctx.journal().append(sink.source, journal::ev::output_line, std::move(body));
    if (sink.on_line) sink.on_line(line);
  }

  runtime::RunContext& ctx;
  boost::asio::posix::stream_descriptor pipe;
  OutputSink sink;
  std::ofstream raw;
  util::LineSplitter splitter;
  std::array<char, 64 * 1024> buffer{};
};

}  // namespace

void start_output_reader(runtime::RunContext& ctx, int fd, OutputSink sink) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::make_shared<Reader>(ctx, fd, std::move(sink))->read();
}

}  // namespace bbx::process
