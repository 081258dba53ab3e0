// The TCP fakes' framing: cutting a byte stream into messages, and framing the bytes the
// generic TCP fake sends. Pure (no I/O; OpenSSL only for SHA-256), so unit tests feed it
// any split of a stream.
//
// Framings (model::TcpFraming):
//   line           messages end with '\n'; a '\r' just before it is dropped as well
//   delimiter      messages end with the delimiter bytes (not part of the message)
//   length_prefix  a 1, 2 or 4 byte unsigned length (big or little endian), then the message
// line and delimiter cut with util::LineSplitter. A message longer than max_message is
// never buffered whole; what becomes of it is the framer's Oversize policy. Under `line`, a
// '\r' before the '\n' of such a message is kept (counted, hashed), not dropped.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bbx/model/fakes.hpp"
#include "util/line_splitter.hpp"

namespace bbx::fakes {

struct TcpFrame {
  std::string data;           // the message; only its head when oversize or cut short
  std::size_t bytes = 0;      // data's length, or the message's (oversize) or what arrived (cut short)
  bool oversize = false;      // digest: longer than max_message: data is the head, sha256 is set
  std::string sha256;         // oversize: lowercase hex of the whole message
  bool split = false;         // split: a max_message piece; the message goes on in the next frame
  bool unterminated = false;  // line/delimiter: the stream ended before a delimiter (the message's last frame)
  bool cut_short = false;     // length_prefix: the stream ended inside the prefix or the message
  std::size_t expected = 0;   // length_prefix: the length the prefix announced
  std::string error;          // a framing error (oversize, cut short); "" when none
};

class TcpFramer {
 public:
  // What becomes of a message longer than max_message.
  enum class Oversize {
    digest,  // one frame: its first head_bytes, its length and the SHA-256 of all of it
    split,   // max_message pieces as they arrive, each but the last marked split
             // (line and delimiter framings only)
  };

  // Throws std::invalid_argument for Oversize::split with a length_prefix framing.
  TcpFramer(const model::TcpFraming& framing, std::size_t max_message, std::size_t head_bytes = 1024,
            Oversize oversize = Oversize::digest);
  ~TcpFramer();
  TcpFramer(TcpFramer&&) noexcept;

  // Consumes the next bytes of the stream (any split); returns the frames they complete,
  // in order. A partial message waits for the next feed().
  std::vector<TcpFrame> feed(std::string_view bytes);
  // The stream ended: the frames of the partial message left (unterminated or cut_short),
  // none when nothing was left; at most one under Oversize::digest. The framer is then empty.
  std::vector<TcpFrame> finish();

 private:
  struct Hash;
  void on_piece(const util::LinePiece& piece, std::vector<TcpFrame>& out);
  std::vector<TcpFrame> feed_prefixed(std::string_view bytes);
  std::vector<TcpFrame> finish_prefixed();
  TcpFrame take_oversize();
  void hash_more(std::string_view part);
  void reset();

  model::TcpFraming framing_;
  std::size_t max_;
  std::size_t head_bytes_;
  Oversize policy_;
  util::LineSplitter lines_;  // line and delimiter framings
  bool continued_ = false;    // split: the last frame was split; the next one continues it
  std::string pending_;       // prefixed: the message so far
  std::string prefix_;        // prefixed: the length bytes so far
  std::size_t expected_ = 0;  // prefixed: announced length
  std::size_t got_ = 0;       // prefixed: message bytes so far
  bool oversize_ = false;     // digest: streaming the current message into the hash
  std::string head_;          // oversize: the first head_bytes_
  std::size_t hashed_ = 0;    // oversize: bytes hashed so far
  std::unique_ptr<Hash> hash_;
};

// The bytes to send for a reply or greeting: length_prefix framings get the prefix, the
// others are sent as written. Throws std::length_error when the text is too long for the
// prefix ("reply of 300 bytes does not fit a 1-byte length prefix").
std::string frame_outgoing(const model::TcpFraming& framing, std::string_view text);

// "line", "delimiter \"\\r\\n\"", "length_prefix 4 big"; a delimiter's bytes that are not UTF-8
// as \xHH ("delimiter \"\\\\x90\""). Never throws.
std::string describe(const model::TcpFraming& framing);

}  // namespace bbx::fakes
