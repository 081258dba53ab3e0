// Internal to the HTTP fake: included only by session.hpp (Asio stays in one translation unit).
// A connection's idle timeout with one timer per connection rather than one per operation (as
// Beast's tcp_stream would): every period it closes the connection if a client read or write is
// pending and none started since the timer was armed, or if the owner says it is overdue (a
// request header still incomplete: a slowloris client keeps reads completing, one byte at a
// time, and is never idle). The fake's own waits (delay, dribble, upstream) are not client I/O
// and never count as idle.
#pragma once

#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "bbx/model/fakes.hpp"

namespace bbx::fakes::http_detail {

using Timer = boost::asio::basic_waitable_timer<std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>,
                                                boost::asio::io_context::executor_type>;

class IdleWatch {
 public:
  explicit IdleWatch(const boost::asio::io_context::executor_type& ex) : timer_(ex) {}

  void begin() {  // a client read or write starts
    pending_ = true;
    ++started_;
  }
  void end() { pending_ = false; }  // it completed
  void cancel() { timer_.cancel(); }
  bool fired() const { return fired_; }  // it closed the connection
  bool late() const { return late_; }    // ... because the owner was overdue, not idle

  // Arms the timer for `period`, then `every` after that, while `owner` lives; an idle period,
  // or owner->overdue() true when the timer fires, calls owner->close(). Owner: a connection
  // (shared_ptr-owned), which holds this watch.
  template <class Owner>
  void watch(model::Duration period, model::Duration every, std::weak_ptr<Owner> owner) {
    seen_ = started_;
    timer_.expires_after(period);
    timer_.async_wait([this, every, owner = std::move(owner)](boost::system::error_code ec) mutable {
      auto self = owner.lock();
      if (ec || !self) return;  // cancelled: the connection ended
      bool idle = pending_ && started_ == seen_;
      if (idle || self->overdue()) {
        fired_ = true;
        late_ = !idle;
        return self->close();
      }
      watch(every, every, std::move(owner));
    });
  }

 private:
  Timer timer_;
  std::uint64_t started_ = 0;
  std::uint64_t seen_ = 0;
  bool pending_ = false;
  bool fired_ = false;
  bool late_ = false;
};

}  // namespace bbx::fakes::http_detail
