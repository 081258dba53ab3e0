#include "probes/listening_sockets.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cstring>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include <doctest/doctest.h>

using bbx::probes::address_covers;
using bbx::probes::describe;
using bbx::probes::ListeningSocket;
using bbx::probes::ListeningSocketProbe;
using bbx::probes::parse_proc_net;
using bbx::probes::Proto;
using bbx::probes::socket_inodes_of_pid;

namespace {

// Captured on x86-64 (the kernel prints each address word in native byte order).
constexpr bool kLittleEndian = std::endian::native == std::endian::little;

constexpr const char* kProcTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode\n"
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        "
    "0 48213 1 0000000000000000 100 0 0 10 0\n"
    "   1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        "
    "0 20117 1 0000000000000000 100 0 0 10 0\n"
    "   2: 0100007F:1F90 0100007F:C35A 01 00000000:00000000 00:00000000 00000000  1000        "
    "0 50911 1 0000000000000000 20 4 30 10 -1\n"
    "   3: 0100007F:C35A 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        "
    "0 0 3 0000000000000000\n";

constexpr const char* kProcTcp6 =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000000000000:0050 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000    33        0 31337 1 0000000000000000 100 0 0 "
    "10 0\n"
    "   1: 00000000000000000000000001000000:0277 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 19001 1 0000000000000000 100 0 0 "
    "10 0\n"
    "   2: 0000000000000000FFFF00000100007F:1F91 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000  1000        0 40404 1 0000000000000000 100 0 0 "
    "10 0\n";

constexpr const char* kProcUdp =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
    "timeout inode ref pointer drops\n"
    "  512: 3500007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000   101        "
    "0 17342 2 0000000000000000 0\n"
    " 1045: 00000000:1FBD 00000000:0000 07 00000000:00000000 00:00000000 00000000  1000        "
    "0 61234 2 0000000000000000 0\n"
    " 2170: 0100007F:D3A2 0100007F:1FBD 01 00000000:00000000 00:00000000 00000000  1000        "
    "0 61300 2 0000000000000000 0\n";

ListeningSocket sock(const char* address, int family, bool v6only_known = false,
                     bool v6only = false) {
    ListeningSocket s;
    s.family = family;
    s.address = address;
    s.port = 8080;
    s.v6only_known = v6only_known;
    s.v6only = v6only;
    return s;
}

ListeningSocket dual_stack_any() { return sock("::", AF_INET6, true, false); }
ListeningSocket v6only_any() { return sock("::", AF_INET6, true, true); }

// A real socket bound to an ephemeral port; closed by close() or the destructor.
struct BoundSocket {
    int fd = -1;
    std::uint16_t port = 0;
    std::uint64_t inode = 0;
    BoundSocket() = default;
    BoundSocket(const BoundSocket&) = delete;
    BoundSocket& operator=(const BoundSocket&) = delete;
    BoundSocket(BoundSocket&& o) noexcept : fd(o.fd), port(o.port), inode(o.inode) { o.fd = -1; }
    ~BoundSocket() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// Binds (and for TCP listens on) address:0. v6only < 0 leaves the system default.
// nullopt when the family is unavailable here (e.g. IPv6 disabled).
std::optional<BoundSocket> bind_ephemeral(Proto proto, const char* address, int v6only = -1,
                                          bool listen = true) {
    sockaddr_storage ss{};
    socklen_t len = 0;
    auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
    if (inet_pton(AF_INET, address, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        len = sizeof *v4;
    } else {
        REQUIRE(inet_pton(AF_INET6, address, &v6->sin6_addr) == 1);
        v6->sin6_family = AF_INET6;
        len = sizeof *v6;
    }
    BoundSocket b;
    b.fd = ::socket(ss.ss_family, proto == Proto::tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (b.fd < 0) return std::nullopt;
    if (v6only >= 0)
        REQUIRE(setsockopt(b.fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only) == 0);
    if (::bind(b.fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) return std::nullopt;
    if (proto == Proto::tcp && listen) REQUIRE(::listen(b.fd, 16) == 0);
    REQUIRE(getsockname(b.fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0);
    b.port = ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
    struct stat st{};
    REQUIRE(fstat(b.fd, &st) == 0);
    b.inode = st.st_ino;
    return b;
}

std::optional<ListeningSocket> find_inode(const std::vector<ListeningSocket>& all,
                                          std::uint64_t inode) {
    for (const auto& s : all)
        if (s.inode == inode) return s;
    return std::nullopt;
}

struct LiveCase {
    Proto proto;
    const char* address;
    int v6only;  // -1: not set (IPv4)
};

// Binds one case, checks dump(), /proc/net and fd attribution see it, then that it is gone
// after close.
void check_live_case(ListeningSocketProbe& probe, const LiveCase& c) {
    CAPTURE(c.address);
    CAPTURE(c.v6only);
    auto bound = bind_ephemeral(c.proto, c.address, c.v6only);
    if (!bound) {
        MESSAGE("skipped: cannot bind " << c.address << " here");
        return;
    }
    auto found = find_inode(probe.dump(c.proto), bound->inode);
    REQUIRE(found);
    CHECK(found->proto == c.proto);
    CHECK(found->address == c.address);
    CHECK(found->port == bound->port);
    CHECK(found->uid == geteuid());
    CHECK(found->family == (std::strchr(c.address, ':') ? AF_INET6 : AF_INET));
    if (c.v6only >= 0) {
        CHECK(found->v6only_known);
        CHECK(found->v6only == (c.v6only == 1));
    } else {
        CHECK_FALSE(found->v6only_known);
    }
    CHECK(socket_inodes_of_pid(getpid()).count(bound->inode) == 1);

    auto from_proc = find_inode(bbx::probes::read_proc_net(c.proto), bound->inode);
    REQUIRE(from_proc);
    CHECK(from_proc->address == c.address);
    CHECK(from_proc->port == bound->port);
    CHECK_FALSE(from_proc->v6only_known);

    const std::uint64_t inode = bound->inode;
    bound->close();
    CHECK_FALSE(find_inode(probe.dump(c.proto), inode));
    CHECK(socket_inodes_of_pid(getpid()).count(inode) == 0);
}

const LiveCase kLiveCases[] = {
    {Proto::tcp, "127.0.0.1", -1}, {Proto::tcp, "0.0.0.0", -1}, {Proto::tcp, "::1", 1},
    {Proto::tcp, "::", 1},         {Proto::tcp, "::", 0},       {Proto::udp, "127.0.0.1", -1},
    {Proto::udp, "0.0.0.0", -1},   {Proto::udp, "::1", 1},      {Proto::udp, "::", 1},
    {Proto::udp, "::", 0},
};

}  // namespace

TEST_CASE("parse_proc_net keeps only LISTEN rows of /proc/net/tcp") {
    if (!kLittleEndian) return;
    auto got = parse_proc_net(kProcTcp, Proto::tcp, AF_INET);
    REQUIRE(got.size() == 2);
    CHECK(got[0].address == "127.0.0.1");
    CHECK(got[0].port == 8080);
    CHECK(got[0].uid == 1000);
    CHECK(got[0].inode == 48213);
    CHECK(got[0].family == AF_INET);
    CHECK(got[0].proto == Proto::tcp);
    CHECK_FALSE(got[0].v6only_known);
    CHECK(got[1].address == "0.0.0.0");
    CHECK(got[1].port == 22);
    CHECK(got[1].uid == 0);
}

TEST_CASE("parse_proc_net decodes /proc/net/tcp6 addresses word by word") {
    if (!kLittleEndian) return;
    auto got = parse_proc_net(kProcTcp6, Proto::tcp, AF_INET6);
    REQUIRE(got.size() == 3);
    CHECK(describe(got[0]) == "tcp [::]:80 v6only=?");
    CHECK(got[0].uid == 33);
    CHECK(got[0].inode == 31337);
    CHECK(describe(got[1]) == "tcp [::1]:631 v6only=?");
    CHECK(got[2].address == "::ffff:127.0.0.1");
    CHECK(got[2].port == 8081);
}

TEST_CASE("parse_proc_net keeps unconnected rows of /proc/net/udp") {
    if (!kLittleEndian) return;
    auto got = parse_proc_net(kProcUdp, Proto::udp, AF_INET);
    REQUIRE(got.size() == 2);
    CHECK(describe(got[0]) == "udp 127.0.0.53:53");
    CHECK(got[0].uid == 101);
    CHECK(got[0].inode == 17342);
    CHECK(describe(got[1]) == "udp 0.0.0.0:8125");
}

TEST_CASE("parse_proc_net skips rows that do not fit the proto, family or format") {
    CHECK(parse_proc_net(kProcTcp, Proto::udp, AF_INET).empty());   // no 07 rows
    CHECK(parse_proc_net(kProcTcp, Proto::tcp, AF_INET6).empty());  // v4 widths
    CHECK(parse_proc_net(kProcTcp6, Proto::tcp, AF_INET).empty());
    CHECK(parse_proc_net("", Proto::tcp, AF_INET).empty());
    CHECK(parse_proc_net("garbage\n\n   0: 0100007F:1F90\n", Proto::tcp, AF_INET).empty());
    CHECK(parse_proc_net("0: 0100007G:1F90 00000000:0000 0A 0:0 0:0 0 1 0 7\n", Proto::tcp,
                         AF_INET)
              .empty());
    CHECK(parse_proc_net(kProcTcp, Proto::tcp, AF_UNIX).empty());
    // No trailing newline, minimal fields.
    auto one = parse_proc_net("0: 0100007F:1F90 00000000:0000 0A 0:0 0:0 0 5 0 7", Proto::tcp,
                              AF_INET);
    REQUIRE(one.size() == 1);
    CHECK(one[0].inode == 7);
    CHECK(one[0].uid == 5);
}

TEST_CASE("address_covers: any, empty and * match every socket") {
    for (const char* w : {"", "any", "*"}) {
        CHECK(address_covers(sock("127.0.0.1", AF_INET), w));
        CHECK(address_covers(v6only_any(), w));
        CHECK(address_covers(sock("::1", AF_INET6, true, true), w));
    }
}

TEST_CASE("address_covers: 0.0.0.0 covers every IPv4 address and no IPv6") {
    auto s = sock("0.0.0.0", AF_INET);
    CHECK(address_covers(s, "0.0.0.0"));
    CHECK(address_covers(s, "127.0.0.1"));
    CHECK(address_covers(s, "10.1.2.3"));
    CHECK(address_covers(s, "::ffff:127.0.0.1"));
    CHECK_FALSE(address_covers(s, "::1"));
    CHECK_FALSE(address_covers(s, "::"));
}

TEST_CASE("address_covers: a specific address covers only itself") {
    auto s = sock("127.0.0.1", AF_INET);
    CHECK(address_covers(s, "127.0.0.1"));
    CHECK_FALSE(address_covers(s, "127.0.0.2"));
    CHECK_FALSE(address_covers(s, "0.0.0.0"));
    auto s6 = sock("::1", AF_INET6, true, true);
    CHECK(address_covers(s6, "::1"));
    CHECK(address_covers(s6, "[::1]"));
    CHECK(address_covers(s6, "0:0:0:0:0:0:0:1"));
    CHECK_FALSE(address_covers(s6, "::"));
    CHECK_FALSE(address_covers(s6, "127.0.0.1"));
}

TEST_CASE("address_covers: dual-stack [::] also serves IPv4") {
    auto s = dual_stack_any();
    CHECK(address_covers(s, "::"));
    CHECK(address_covers(s, "::1"));
    CHECK(address_covers(s, "2001:db8::1"));
    CHECK(address_covers(s, "0.0.0.0"));
    CHECK(address_covers(s, "127.0.0.1"));
}

TEST_CASE("address_covers: v6only or unknown [::] serves IPv6 only") {
    for (const auto& s : {v6only_any(), sock("::", AF_INET6)}) {
        CAPTURE(describe(s));
        CHECK(address_covers(s, "::"));
        CHECK(address_covers(s, "::1"));
        CHECK_FALSE(address_covers(s, "0.0.0.0"));
        CHECK_FALSE(address_covers(s, "127.0.0.1"));
    }
}

TEST_CASE("address_covers: IPv4-mapped socket address counts as IPv4") {
    auto s = sock("::ffff:127.0.0.1", AF_INET6, true, false);
    CHECK(address_covers(s, "127.0.0.1"));
    CHECK(address_covers(s, "::ffff:127.0.0.1"));
    CHECK_FALSE(address_covers(s, "0.0.0.0"));
    CHECK_FALSE(address_covers(s, "::1"));
}

TEST_CASE("address_covers: names and garbage never match") {
    CHECK_FALSE(address_covers(sock("0.0.0.0", AF_INET), "localhost"));
    CHECK_FALSE(address_covers(dual_stack_any(), "fe80::1%eth0"));
    CHECK_FALSE(address_covers(dual_stack_any(), "[::1"));
    CHECK_FALSE(address_covers(sock("", AF_INET), "127.0.0.1"));
}

TEST_CASE("describe names proto, address, port and v6only state") {
    CHECK(describe(sock("127.0.0.1", AF_INET)) == "tcp 127.0.0.1:8080");
    CHECK(describe(dual_stack_any()) == "tcp [::]:8080 dual-stack");
    CHECK(describe(v6only_any()) == "tcp [::]:8080 v6only");
}

TEST_CASE("dump finds live listening sockets with address, port, v6only and owner") {
    ListeningSocketProbe probe;
    for (const auto& c : kLiveCases) check_live_case(probe, c);
}

TEST_CASE("dump ignores TCP sockets that are bound but not listening, and connected UDP") {
    ListeningSocketProbe probe;
    auto tcp = bind_ephemeral(Proto::tcp, "127.0.0.1", -1, /*listen=*/false);
    REQUIRE(tcp);
    CHECK_FALSE(find_inode(probe.dump(Proto::tcp), tcp->inode));

    auto udp = bind_ephemeral(Proto::udp, "127.0.0.1");
    REQUIRE(udp);
    CHECK(find_inode(probe.dump(Proto::udp), udp->inode));
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(9);
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(udp->fd, reinterpret_cast<sockaddr*>(&peer), sizeof peer) == 0);
    CHECK_FALSE(find_inode(probe.dump(Proto::udp), udp->inode));
}

TEST_CASE("dump reuses the caller's vector and clears old entries") {
    ListeningSocketProbe probe;
    auto a = bind_ephemeral(Proto::tcp, "127.0.0.1");
    REQUIRE(a);
    std::vector<ListeningSocket> out(3);
    out.reserve(1024);
    probe.dump(Proto::tcp, out);
    for (const auto& s : out) CHECK(s.port != 0);
    CHECK(find_inode(out, a->inode));
    const auto* data = out.data();
    probe.dump(Proto::tcp, out);
    CHECK(out.data() == data);
}

TEST_CASE("a moved probe keeps working and the moved-from one throws") {
    ListeningSocketProbe first;
    ListeningSocketProbe second(std::move(first));
    auto a = bind_ephemeral(Proto::tcp, "127.0.0.1");
    REQUIRE(a);
    CHECK(find_inode(second.dump(Proto::tcp), a->inode));
    CHECK_THROWS_AS(first.dump(Proto::tcp), std::system_error);  // NOLINT(bugprone-use-after-move)
    first = std::move(second);
    CHECK(find_inode(first.dump(Proto::tcp), a->inode));
}

TEST_CASE("socket_inodes_of_pid is empty for a pid that does not exist") {
    CHECK(socket_inodes_of_pid(-1).empty());
    CHECK(socket_inodes_of_pid(0).empty());
    CHECK(socket_inodes_of_pid(0x3fffffff).empty());
}
