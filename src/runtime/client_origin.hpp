// Which process sent what a fake received: the fakes ask, when they accept a connection,
// and journal the answer with each request (http.request `from`). The runner installs the
// finder (runner/client_origins.hpp: the peer's socket by sock_diag, its owner in /proc,
// the owner's subject by its process tree); without one, nothing is found.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "util/tcp_endpoint.hpp"

namespace bbx::runtime {

struct ClientOrigin {
  std::string kind;  // "subject" (name: the subject), "bbx" (the runner itself: steps, readiness polls),
                     // "process" (another process of the run, e.g. a command step's; name: its comm)
  std::string name;
  int pid = 0;       // the process holding the client's socket (as the runner's /proc shows it)
};

// (the fake's end, the client's end) -> who holds the client's end. Called on the run's
// loop thread, once per accepted connection.
using ClientOriginFinder = std::function<std::optional<ClientOrigin>(const util::TcpEndpoint& server, const util::TcpEndpoint& client)>;

}  // namespace bbx::runtime
