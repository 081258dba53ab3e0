// Binding a TCP fake's listener: shared by the HTTP and the TCP metric fakes. Included only
// by the fakes' Asio translation units.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "bbx/model/fakes.hpp"

namespace bbx::fakes {

// Opens, binds (SO_REUSEADDR) and listens on fake.host:fake.port (0 = any free port).
// Returns the bound port. Throws std::runtime_error naming the fake, the address and the
// OS's reason ("fake 'api': cannot listen on 127.0.0.1:9001: Address already in use").
int listen_for_fake(boost::asio::ip::tcp::acceptor& acceptor, const model::Fake& fake);

}  // namespace bbx::fakes
