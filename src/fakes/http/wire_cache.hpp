// A connection's last response as bytes, reused while the next response is the same: same
// route response, HTTP version, keep-alive and body. That is the common case of a route
// answering many requests alike, where serializing with Beast would cost more than the rest of
// the response path. Pure (no Beast): the caller's serialize() makes the bytes.
#pragma once

#include <string>
#include <utility>

#include "fakes/http/plan.hpp"

namespace bbx::fakes {

class WireCache {
 public:
  // The bytes of `plan`'s response for a request of `version` (11 for HTTP/1.1) and keep-alive:
  // the kept ones when all of the above match, else serialize()'s result, then kept. A shared
  // body matches by identity (it lives as long as the planner), a filled one by its text.
  template <class Serialize>
  const std::string& bytes(const ResponsePlan& plan, unsigned version, bool keep_alive, Serialize&& serialize) {
    bool same_body = plan.shared_body ? shared_body_ == plan.shared_body : !shared_body_ && filled_ == plan.filled;
    bool same = response_ == plan.response && version_ == version && keep_alive_ == keep_alive && same_body;
    if (!same || bytes_.empty()) {
      bytes_ = std::forward<Serialize>(serialize)();
      response_ = plan.response;
      version_ = version;
      keep_alive_ = keep_alive;
      shared_body_ = plan.shared_body;
      filled_ = plan.shared_body ? std::string() : plan.filled;
    }
    return bytes_;
  }

 private:
  const model::HttpResponse* response_ = nullptr;
  unsigned version_ = 0;
  bool keep_alive_ = false;
  const std::string* shared_body_ = nullptr;
  std::string filled_;
  std::string bytes_;
};

}  // namespace bbx::fakes
