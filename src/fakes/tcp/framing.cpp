#include "fakes/tcp/framing.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "util/text.hpp"
#include "util/utf8_escape.hpp"

namespace bbx::fakes {

struct TcpFramer::Hash {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  void start() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
  void update(std::string_view data) {
    if (!data.empty() && EVP_DigestUpdate(ctx.get(), data.data(), data.size()) != 1)
      throw std::runtime_error("SHA-256 failed (OpenSSL)");
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) throw std::runtime_error("SHA-256 failed (OpenSSL)");
    return util::hex_lower(digest, len);
  }
};

namespace {

util::LineSplitter splitter_for(const model::TcpFraming& framing, std::size_t max_message) {
  return util::LineSplitter(max_message, framing.kind == model::TcpFramingKind::delimiter ? framing.delimiter : "\n");
}

}  // namespace

TcpFramer::TcpFramer(const model::TcpFraming& framing, std::size_t max_message, std::size_t head_bytes, Oversize oversize)
    : framing_(framing),
      max_(max_message),
      head_bytes_(head_bytes),
      policy_(oversize),
      lines_(splitter_for(framing, max_message)),
      hash_(std::make_unique<Hash>()) {
  if (policy_ == Oversize::split && framing_.kind == model::TcpFramingKind::length_prefix)
    throw std::invalid_argument("TcpFramer: Oversize::split needs a line or delimiter framing");
}
TcpFramer::~TcpFramer() = default;
TcpFramer::TcpFramer(TcpFramer&&) noexcept = default;

void TcpFramer::hash_more(std::string_view part) {
  if (!oversize_) {
    oversize_ = true;
    hashed_ = 0;
    head_.clear();
    hash_->start();
  }
  if (head_.size() < head_bytes_) head_.append(part.substr(0, head_bytes_ - head_.size()));
  hash_->update(part);
  hashed_ += part.size();
}

TcpFrame TcpFramer::take_oversize() {
  TcpFrame f;
  f.data = std::move(head_);
  f.bytes = hashed_;
  f.oversize = true;
  f.sha256 = hash_->hex();
  f.error = "message of " + std::to_string(hashed_) + " bytes exceeds max_message (" + std::to_string(max_) + " bytes)";
  oversize_ = false;
  head_.clear();
  hashed_ = 0;
  return f;
}

void TcpFramer::reset() {
  prefix_.clear();
  pending_.clear();
  expected_ = got_ = 0;
}

std::vector<TcpFrame> TcpFramer::feed(std::string_view bytes) {
  if (framing_.kind == model::TcpFramingKind::length_prefix) return feed_prefixed(bytes);
  std::vector<TcpFrame> out;
  lines_.feed(bytes, [&](const util::LinePiece& piece) { on_piece(piece, out); });
  return out;
}

// A line/delimiter piece: a whole message, or a max_message piece of a longer one (split),
// or its end.
void TcpFramer::on_piece(const util::LinePiece& piece, std::vector<TcpFrame>& out) {
  if (policy_ == Oversize::digest && (piece.split || oversize_)) {
    hash_more(piece.text);
    if (piece.split) return;
    out.push_back(take_oversize());
    out.back().unterminated = piece.partial;
    return;
  }
  bool whole = !piece.split && !continued_;
  continued_ = piece.split;
  TcpFrame f;
  f.data.assign(piece.text);
  if (whole && !piece.partial && framing_.kind == model::TcpFramingKind::line && !f.data.empty() && f.data.back() == '\r')
    f.data.pop_back();
  f.bytes = f.data.size();
  f.split = piece.split;
  f.unterminated = piece.partial;
  out.push_back(std::move(f));
}

std::vector<TcpFrame> TcpFramer::feed_prefixed(std::string_view bytes) {
  std::vector<TcpFrame> out;
  const auto width = static_cast<std::size_t>(framing_.prefix_bytes);
  while (!bytes.empty()) {
    if (prefix_.size() < width) {
      auto n = std::min(width - prefix_.size(), bytes.size());
      prefix_.append(bytes.substr(0, n));
      bytes.remove_prefix(n);
      if (prefix_.size() < width) break;
      expected_ = 0;
      for (std::size_t i = 0; i < width; ++i) {
        auto byte = static_cast<unsigned char>(prefix_[framing_.big_endian ? i : width - 1 - i]);
        expected_ = (expected_ << 8) | byte;
      }
      if (expected_ > max_) hash_more({});
    }
    auto n = std::min(expected_ - got_, bytes.size());
    if (oversize_) hash_more(bytes.substr(0, n));
    else pending_.append(bytes.substr(0, n));
    got_ += n;
    bytes.remove_prefix(n);
    if (got_ < expected_) break;
    if (oversize_) {
      out.push_back(take_oversize());
    } else {
      TcpFrame f;
      f.data = std::move(pending_);
      f.bytes = f.data.size();
      out.push_back(std::move(f));
    }
    out.back().expected = expected_;
    reset();
  }
  return out;
}

std::vector<TcpFrame> TcpFramer::finish() {
  if (framing_.kind == model::TcpFramingKind::length_prefix) return finish_prefixed();
  std::vector<TcpFrame> out;
  lines_.finish([&](const util::LinePiece& piece) { on_piece(piece, out); });
  continued_ = false;
  return out;
}

std::vector<TcpFrame> TcpFramer::finish_prefixed() {
  if (prefix_.empty()) return {};
  TcpFrame f;
  f.cut_short = true;
  const auto width = static_cast<std::size_t>(framing_.prefix_bytes);
  if (prefix_.size() < width) {
    f.error = "stream ended inside a " + std::to_string(width) + "-byte length prefix (" +
              std::to_string(prefix_.size()) + " byte" + (prefix_.size() == 1 ? "" : "s") + " received)";
  } else {
    f.expected = expected_;
    if (oversize_) {  // the head and the SHA-256 of the part received
      auto part = take_oversize();
      f.sha256 = std::move(part.sha256);
      f.data = std::move(part.data);
    }
    f.error = "stream ended after " + std::to_string(got_) + " of " + std::to_string(expected_) + " message bytes";
  }
  if (f.data.empty()) f.data = pending_.substr(0, head_bytes_);
  f.bytes = got_;
  oversize_ = false;
  reset();
  std::vector<TcpFrame> out;
  out.push_back(std::move(f));
  return out;
}

std::string frame_outgoing(const model::TcpFraming& framing, std::string_view text) {
  if (framing.kind != model::TcpFramingKind::length_prefix) return std::string(text);
  const auto width = static_cast<unsigned>(framing.prefix_bytes);
  const std::uint64_t limit = (std::uint64_t(1) << (8 * width)) - 1;
  if (text.size() > limit)
    throw std::length_error("reply of " + std::to_string(text.size()) + " bytes does not fit a " + std::to_string(width) +
                            "-byte length prefix");
  std::string out(width, '\0');
  for (unsigned i = 0; i < width; ++i) {
    auto byte = static_cast<char>((text.size() >> (8 * i)) & 0xff);
    out[framing.big_endian ? width - 1 - i : i] = byte;
  }
  return out.append(text);
}

std::string describe(const model::TcpFraming& framing) {
  switch (framing.kind) {
    case model::TcpFramingKind::line: return "line";
    case model::TcpFramingKind::delimiter:  // any bytes: those that are not UTF-8 as \xHH (was: a json type_error)
      return "delimiter " + nlohmann::json(util::escape_invalid_utf8(framing.delimiter)).dump();
    case model::TcpFramingKind::length_prefix:
      return "length_prefix " + std::to_string(framing.prefix_bytes) + (framing.big_endian ? " big" : " little");
  }
  return "";
}

}  // namespace bbx::fakes
