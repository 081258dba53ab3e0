// Internal to the HTTP fake: included only by http_session.hpp (Beast stays in one translation unit).
// A connection's requests are parsed out of its buffer here and the stream read
// with one async_read_some when more is needed, instead of Beast's composed http::async_read
// (three layers of composed operations per request, ~450 instructions of the fake's ~5,500).
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>

namespace bbx::fakes::http_detail {

// Feeds `buffer` to `parser`, consuming what it takes (a pipelined request's bytes stay).
// Returns true when the parser holds a whole request (ec clear) or rejected the input (ec set:
// malformed, over a limit); false when it needs more bytes than the buffer holds.
template <class Parser>
bool parse_buffered(boost::beast::flat_buffer& buffer, Parser& parser, boost::beast::error_code& ec) {
  ec = {};
  while (buffer.size() > 0 && !parser.is_done()) {
    auto used = parser.put(buffer.data(), ec);
    buffer.consume(used);
    if (ec == boost::beast::http::error::need_more) {
      ec = {};
      return false;
    }
    if (ec) return true;
    if (used == 0) return false;
  }
  return parser.is_done();
}

}  // namespace bbx::fakes::http_detail
