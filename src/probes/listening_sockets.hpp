// Listening-socket probe: which TCP/UDP sockets are bound and waiting, who owns them.
//
// Two sources with one result type:
//   - ListeningSocketProbe: a NETLINK_SOCK_DIAG (inet_diag) dump, what `ss -lt`/`ss -lu`
//     use. The LISTEN-only TCP dump skips the established hash, so one poll costs tens
//     of microseconds; this is the readiness and `listening:` assertion path.
//   - read_proc_net(): /proc/net/{tcp,tcp6,udp,udp6}, the fallback where netlink is not
//     allowed. One read walks every established-hash bucket (milliseconds on big-RAM
//     hosts, see peers/RESULTS.md section 3), and it cannot tell IPV6_V6ONLY.
// Both see only the network namespace of the calling process (for the probe: the one it
// was constructed in), which is what a runner in its own netns wants.
//
// Attribution to a process: socket_inodes_of_pid() gives the inodes a pid holds; match
// them against ListeningSocket::inode.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace bbx::probes {

struct ListeningSocket {
    enum class Proto { tcp, udp };

    Proto proto = Proto::tcp;
    int family = 0;          // AF_INET or AF_INET6
    std::string address;     // inet_ntop text: "127.0.0.1", "0.0.0.0", "::", "::1",
                             // "::ffff:127.0.0.1" (no brackets, no scope id)
    std::uint16_t port = 0;  // host byte order
    std::uint64_t inode = 0; // matches "socket:[N]" in /proc/PID/fd
    uid_t uid = 0;           // owner (creator's fsuid, as the kernel reports it)
    bool v6only_known = false;  // true when the source reported IPV6_V6ONLY (netlink,
                                // AF_INET6 only); always false from /proc/net
    bool v6only = false;        // meaningful only when v6only_known

    bool operator==(const ListeningSocket&) const = default;
};

using Proto = ListeningSocket::Proto;

// "tcp 127.0.0.1:8080", "udp [::]:53 v6only", "tcp [::]:80 dual-stack",
// "tcp [::]:80 v6only=?" (unknown). For assertion messages and timelines.
std::string describe(const ListeningSocket& s);

// Owns one NETLINK_SOCK_DIAG socket and one receive buffer, both made in the constructor
// and reused by every dump. Not thread-safe: use from one thread at a time. Movable, not
// copyable; a moved-from probe throws std::system_error(EBADF) from dump().
class ListeningSocketProbe {
public:
    // Opens the netlink socket and runs one TCP/AF_INET dump to prove inet_diag answers.
    // Throws std::system_error when either fails (no netlink in this sandbox, seccomp,
    // inet_diag not available); callers then fall back to read_proc_net().
    ListeningSocketProbe();
    ~ListeningSocketProbe();
    ListeningSocketProbe(ListeningSocketProbe&& other) noexcept;
    ListeningSocketProbe& operator=(ListeningSocketProbe&& other) noexcept;
    ListeningSocketProbe(const ListeningSocketProbe&) = delete;
    ListeningSocketProbe& operator=(const ListeningSocketProbe&) = delete;

    // Clears `out` and fills it with the listening sockets of `proto`, AF_INET then
    // AF_INET6 (two netlink round trips), in kernel order:
    //   tcp: state LISTEN;
    //   udp: state TCP_CLOSE (7): bound and unconnected, what `ss -lu` shows as UNCONN.
    // AF_INET6 entries carry v6only (v6only_known = true) when the kernel attaches
    // INET_DIAG_SKV6ONLY. That attribute cannot be requested through the idiag_ext bitmask
    // (it only reaches attribute 8); kernels that know it add it unasked to every
    // LISTEN/CLOSE AF_INET6 socket, and older ones leave v6only_known false.
    // Reuses out's capacity; allocates nothing else except address strings longer than
    // the small-string buffer (long IPv6 addresses). Blocks only for the kernel's answer.
    // Throws std::system_error on a netlink error (e.g. udp_diag missing: fall back to
    // read_proc_net(Proto::udp)); `out` then holds a partial result. The probe stays
    // usable: after a dump that threw midway, the next dump opens a fresh netlink socket
    // (the kernel would answer EBUSY on the old one) and throws if it cannot.
    void dump(Proto proto, std::vector<ListeningSocket>& out);
    std::vector<ListeningSocket> dump(Proto proto);

private:
    void dump_family(Proto proto, int family, std::vector<ListeningSocket>& out);
    void send_request(Proto proto, int family);
    long receive();
    void reopen();

    int fd_ = -1;
    std::uint32_t seq_ = 0;
    bool in_dump_ = false;  // a request was sent and its NLMSG_DONE not yet read
    std::vector<char> buf_;
};

// Parses the text of /proc/net/tcp, tcp6, udp or udp6 (pass the matching proto and
// family: AF_INET for tcp/udp, AF_INET6 for tcp6/udp6). Keeps LISTEN (0A) rows for tcp and
// TCP_CLOSE (07) rows for udp, like dump(). The header line, rows whose address width does
// not fit `family`, and malformed rows are skipped, never an error. Pure; v6only_known is
// always false because /proc/net does not show IPV6_V6ONLY.
std::vector<ListeningSocket> parse_proc_net(std::string_view contents, Proto proto, int family);

// Reads and parses /proc/net/<proto> then /proc/net/<proto>6. A missing IPv6 file is
// normal (IPv6 disabled) and yields no AF_INET6 entries. Throws std::system_error when the
// IPv4 file cannot be read. Costs milliseconds per call on big-RAM hosts: do not poll it
// at kHz rates.
std::vector<ListeningSocket> read_proc_net(Proto proto);

// Inodes of the sockets open in process `pid` (links "socket:[N]" under /proc/PID/fd).
// Empty when the process does not exist, is gone, or its fd directory is not readable
// (another user's process without CAP_SYS_PTRACE). Fds opened or closed while the
// directory is read may or may not be seen. Pids are those of the caller's /proc mount.
std::set<std::uint64_t> socket_inodes_of_pid(pid_t pid);

// True when socket `s` accepts connections/datagrams addressed to `wanted` (a numeric
// IPv4/IPv6 literal, optionally in brackets). Semantics, as the Linux stack routes:
//   - wanted "", "any" or "*": any socket matches (the assertion cares only about port).
//   - An exact address match always covers ("127.0.0.1" by 127.0.0.1, "::1" by ::1).
//   - "0.0.0.0" covers every IPv4 address, including wanted "0.0.0.0". It covers no IPv6.
//   - "::" covers every IPv6 address, including wanted "::". It also covers every IPv4
//     address (wanted "127.0.0.1" or "0.0.0.0") only when known dual-stack:
//     v6only_known && !v6only. With v6only unknown (the /proc fallback) it does not: a
//     false failure names the gap, a false pass would hide a daemon that IPv4 clients
//     cannot reach.
//   - A specific address covers only itself; "127.0.0.1" does not satisfy wanted
//     "0.0.0.0" ("listening on all interfaces").
//   - IPv4-mapped IPv6 ("::ffff:1.2.3.4") on either side is treated as the IPv4 address.
//   - Anything unparsable (host names such as "localhost", scope ids) never matches.
// The port is not compared; callers filter on ListeningSocket::port. Pure.
bool address_covers(const ListeningSocket& s, std::string_view wanted_address);

}  // namespace bbx::probes
