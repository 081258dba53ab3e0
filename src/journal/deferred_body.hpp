// A body kept in its producer's own form (the HTTP fake keeps the parsed request) and made
// into JSON only when needed: as text by the journal's writer, as a tree when someone reads
// the event (Journal::append_deferred). Implementations are immutable once appended (read
// from other threads) and must describe one object both ways:
// nlohmann::json::parse(text) == tree().
#pragma once

#include <nlohmann/json.hpp>

#include "util/text_buffer.hpp"

namespace bbx::journal {

class DeferredBody {
 public:
  virtual ~DeferredBody() = default;
  virtual nlohmann::json tree() const = 0;
  virtual void append_text(util::TextBuffer& out) const = 0;  // one JSON object
};

}  // namespace bbx::journal
