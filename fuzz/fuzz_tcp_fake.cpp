// Fuzz target: the TCP fakes' framings and scripted replies (fakes/tcp/framing.hpp,
// reply.hpp), bytes of a connection in -> the frames the fake journals and the replies it
// sends. The first 4 bytes choose the framing (line, delimiter of 1-3 bytes taken from the
// input, 1/2/4-byte length prefix, either endianness), max_message (1-64, or 64 KiB), the
// oversize policy (digest, as the generic TCP fake; split, as the metric TCP fake) and how the
// rest of the stream is cut into reads. Checked contracts: nothing throws; under digest the
// frames do not depend on how the stream was cut into reads; a frame holds at most
// max(max_message, head) bytes and says its length; every frame gets a reply plan (one whose
// regex is too complex is passed over), and a reply's bytes are framed or its error set.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/tcp/framing.hpp"
#include "fakes/tcp/reply.hpp"
#include "fuzz_target.hpp"
#include "util/regex.hpp"

namespace {

using namespace bbx::fakes;
using bbx::fuzz::finding;
namespace model = bbx::model;

model::TcpReply reply(std::string contains, const char* match, std::string text) {
  model::TcpReply r;
  r.contains = std::move(contains);
  if (match) r.match = bbx::util::Regex::compile(match);
  r.reply = std::move(text);
  return r;
}

std::vector<TcpFrame> feed_all(TcpFramer& framer, std::string_view stream, std::uint8_t cuts) {
  std::vector<TcpFrame> frames;
  std::uint32_t state = cuts * 2654435761u + 1;
  while (!stream.empty()) {
    std::size_t n = stream.size();
    if (cuts) {
      state = state * 1103515245u + 12345u;
      n = std::min<std::size_t>(n, 1 + (state >> 16) % 17);
    }
    for (auto& f : framer.feed(stream.substr(0, n))) frames.push_back(std::move(f));
    stream.remove_prefix(n);
  }
  for (auto& f : framer.finish()) frames.push_back(std::move(f));
  return frames;
}

bool same(const TcpFrame& a, const TcpFrame& b) {
  return a.data == b.data && a.bytes == b.bytes && a.oversize == b.oversize && a.sha256 == b.sha256 &&
         a.split == b.split && a.unterminated == b.unterminated && a.cut_short == b.cut_short &&
         a.expected == b.expected && a.error == b.error;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const auto choice = static_cast<std::uint8_t>(in[0]), limits = static_cast<std::uint8_t>(in[1]),
             policy = static_cast<std::uint8_t>(in[2]), cuts = static_cast<std::uint8_t>(in[3]);
  in.remove_prefix(4);

  model::TcpFakeSpec tcp;
  switch (choice % 3) {
    case 0: tcp.framing.kind = model::TcpFramingKind::line; break;
    case 1: {
      tcp.framing.kind = model::TcpFramingKind::delimiter;
      std::size_t n = std::min<std::size_t>(1 + (choice >> 2) % 3, in.size());
      if (n == 0) return 0;
      tcp.framing.delimiter = std::string(in.substr(0, n));
      in.remove_prefix(n);
      break;
    }
    default:
      tcp.framing.kind = model::TcpFramingKind::length_prefix;
      tcp.framing.prefix_bytes = (choice >> 2) % 3 == 0 ? 1 : (choice >> 2) % 3 == 1 ? 2 : 4;
      tcp.framing.big_endian = (choice & 0x20) != 0;
  }
  tcp.max_message = limits < 0xc0 ? 1 + limits % 64 : 64 * 1024;
  const std::size_t head = std::min<std::size_t>(1024, tcp.max_message);
  auto oversize = (policy & 1) && tcp.framing.kind != model::TcpFramingKind::length_prefix ? TcpFramer::Oversize::split
                                                                                         : TcpFramer::Oversize::digest;
  tcp.replies.push_back(reply("", "^GET (\\w+)(?: (\\d+))?", "VALUE $1 $2 $9 $$\n"));
  tcp.replies.push_back(reply("PING", nullptr, "PONG $0$$"));
  tcp.replies.push_back(reply("", "(a|aa)+$", "many a"));
  tcp.replies.push_back(reply("", "^\\x00", std::string(300, 'x')));  // too long for a 1-byte prefix
  tcp.replies.push_back(reply("", nullptr, "$0"));

  try {
    TcpFramer framer(tcp.framing, tcp.max_message, head, oversize);
    auto frames = feed_all(framer, in, cuts);
    if (oversize == TcpFramer::Oversize::digest && cuts) {
      TcpFramer whole(tcp.framing, tcp.max_message, head, oversize);
      auto once = feed_all(whole, in, 0);
      if (once.size() != frames.size()) finding("the frames depend on how the stream was cut into reads (count)");
      for (std::size_t i = 0; i < once.size(); ++i)
        if (!same(once[i], frames[i])) finding("the frames depend on how the stream was cut into reads");
    }
    TcpReplier replier(tcp);
    for (const auto& f : frames) {
      if (f.data.size() > std::max(tcp.max_message, head)) finding("a frame holds more than max_message bytes");
      if (!f.oversize && !f.cut_short && !f.split && f.bytes != f.data.size()) finding("a frame's bytes are not its length");
      if (f.oversize && f.sha256.size() != 64) finding("an oversize frame without its SHA-256");
      if (!f.error.empty()) continue;
      auto plan = replier.plan(f.data);
      if (plan.reply >= 0 && plan.error.empty() && plan.bytes.empty() && !plan.text.empty() &&
          tcp.framing.kind != model::TcpFramingKind::length_prefix)
        finding("a reply planned without its bytes");
    }
    (void)describe(tcp.framing);
  } catch (...) {
    finding("the TCP fake's framing or replies threw: " + bbx::fuzz::describe_current_exception());
  }
  return 0;
}
