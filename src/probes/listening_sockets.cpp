#include "probes/listening_sockets.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

namespace bbx::probes {
namespace {

// Kernel netlink dump skbs are at most 32 KiB (SKB_WITH_OVERHEAD(32768)); twice that
// leaves room and lets recvmsg flag anything larger as MSG_TRUNC instead of losing it.
constexpr std::size_t kRecvBufferSize = 64 * 1024;
constexpr int kUdpUnconnected = TCP_CLOSE;  // 7: bound UDP socket with no peer

[[noreturn]] void throw_errno(int err, const char* what) {
    throw std::system_error(err, std::generic_category(), what);
}

std::string format_address(int family, const void* raw) {
    char text[INET6_ADDRSTRLEN] = {};
    if (inet_ntop(family, raw, text, sizeof text) == nullptr) return {};
    return text;
}

// Fills `s` from one SOCK_DIAG_BY_FAMILY message; false when it is too short to hold one.
bool decode_diag(const nlmsghdr* h, Proto proto, ListeningSocket& s) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) return false;
    const auto* m = static_cast<const inet_diag_msg*>(NLMSG_DATA(h));
    s.proto = proto;
    s.family = m->idiag_family;
    s.address = format_address(m->idiag_family, m->id.idiag_src);
    s.port = ntohs(m->id.idiag_sport);
    s.inode = m->idiag_inode;
    s.uid = m->idiag_uid;
    s.v6only_known = false;
    s.v6only = false;
    long len = static_cast<long>(h->nlmsg_len - NLMSG_LENGTH(sizeof(inet_diag_msg)));
    auto* a = reinterpret_cast<rtattr*>(const_cast<inet_diag_msg*>(m) + 1);
    for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        if (a->rta_type == INET_DIAG_SKV6ONLY && RTA_PAYLOAD(a) >= 1) {
            s.v6only_known = true;
            s.v6only = *static_cast<const std::uint8_t*>(RTA_DATA(a)) != 0;
        }
    }
    return true;
}

// The error carried by NLMSG_ERROR (nlmsgerr) or NLMSG_DONE (an int, for dumps that fail
// midway); 0 when none.
int netlink_error(const nlmsghdr* h) {
    if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int))) return 0;
    int err = 0;
    std::memcpy(&err, NLMSG_DATA(h), sizeof err);
    return err < 0 ? -err : 0;
}

// Hex field of /proc/net/*: exactly `s.size()` hex digits.
template <typename T>
bool parse_hex(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out, 16);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

template <typename T>
bool parse_dec(std::string_view s, T& out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), out, 10);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// "0100007F:1F90" (AF_INET) or 32 hex digits + ":PORT" (AF_INET6). The kernel prints each
// 32-bit word of the network-order address as a native integer (%08X), so the words go
// back into memory as native integers.
bool parse_proc_endpoint(std::string_view field, int family, ListeningSocket& s) {
    const std::size_t words = family == AF_INET ? 1 : 4;
    if (field.size() != words * 8 + 5 || field[words * 8] != ':') return false;
    std::array<std::uint32_t, 4> addr{};
    for (std::size_t i = 0; i < words; ++i) {
        if (!parse_hex(field.substr(i * 8, 8), addr[i])) return false;
    }
    if (!parse_hex(field.substr(words * 8 + 1), s.port)) return false;
    s.address = format_address(family, addr.data());
    return !s.address.empty();
}

// Splits a /proc/net row into its first `n` whitespace-separated fields.
template <std::size_t N>
bool split_fields(std::string_view line, std::array<std::string_view, N>& out) {
    std::size_t pos = 0;
    for (auto& f : out) {
        pos = line.find_first_not_of(" \t", pos);
        if (pos == std::string_view::npos) return false;
        std::size_t end = line.find_first_of(" \t", pos);
        if (end == std::string_view::npos) end = line.size();
        f = line.substr(pos, end - pos);
        pos = end;
    }
    return true;
}

// One row: sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
std::optional<ListeningSocket> parse_proc_row(std::string_view line, Proto proto, int family) {
    std::array<std::string_view, 10> f;
    if (!split_fields(line, f)) return std::nullopt;
    unsigned state = 0;
    if (!parse_hex(f[3], state) || state != (proto == Proto::tcp ? TCP_LISTEN : kUdpUnconnected))
        return std::nullopt;
    ListeningSocket s;
    s.proto = proto;
    s.family = family;
    if (!parse_proc_endpoint(f[1], family, s)) return std::nullopt;
    if (!parse_dec(f[7], s.uid) || !parse_dec(f[9], s.inode)) return std::nullopt;
    return s;
}

// Reads a whole (proc) file; 0 or the errno of the failure.
int read_whole_file(const char* path, std::string& out) {
    int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    out.clear();
    char chunk[16384];
    for (;;) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            return err;
        }
        if (n == 0) break;
        out.append(chunk, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return 0;
}

struct ParsedAddress {
    int family = 0;
    std::array<unsigned char, 16> bytes{};  // AF_INET uses the first 4
    bool is_any() const {
        std::size_t n = family == AF_INET ? 4 : 16;
        for (std::size_t i = 0; i < n; ++i)
            if (bytes[i] != 0) return false;
        return true;
    }
    bool operator==(const ParsedAddress&) const = default;
};

// Numeric IPv4/IPv6 literal, brackets allowed; IPv4-mapped IPv6 becomes IPv4.
std::optional<ParsedAddress> parse_address(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    char buf[INET6_ADDRSTRLEN + 1];
    if (text.empty() || text.size() >= sizeof buf) return std::nullopt;
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    ParsedAddress a;
    if (inet_pton(AF_INET, buf, a.bytes.data()) == 1) {
        a.family = AF_INET;
        return a;
    }
    if (inet_pton(AF_INET6, buf, a.bytes.data()) != 1) return std::nullopt;
    a.family = AF_INET6;
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), kMapped, sizeof kMapped) == 0) {
        std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
        std::memset(a.bytes.data() + 4, 0, 12);
        a.family = AF_INET;
    }
    return a;
}

}  // namespace

std::string describe(const ListeningSocket& s) {
    std::string out = s.proto == Proto::tcp ? "tcp " : "udp ";
    if (s.family == AF_INET6) {
        out += '[' + s.address + ']';
    } else {
        out += s.address;
    }
    out += ':' + std::to_string(s.port);
    if (s.family == AF_INET6) {
        if (!s.v6only_known) {
            out += " v6only=?";
        } else {
            out += s.v6only ? " v6only" : " dual-stack";
        }
    }
    return out;
}

ListeningSocketProbe::ListeningSocketProbe() {
    fd_ = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd_ < 0) throw_errno(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    buf_.resize(kRecvBufferSize);
    try {
        std::vector<ListeningSocket> scratch;
        dump_family(Proto::tcp, AF_INET, scratch);
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

ListeningSocketProbe::~ListeningSocketProbe() {
    if (fd_ >= 0) ::close(fd_);
}

ListeningSocketProbe::ListeningSocketProbe(ListeningSocketProbe&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      seq_(other.seq_),
      in_dump_(other.in_dump_),
      buf_(std::move(other.buf_)) {}

ListeningSocketProbe& ListeningSocketProbe::operator=(ListeningSocketProbe&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        seq_ = other.seq_;
        in_dump_ = other.in_dump_;
        buf_ = std::move(other.buf_);
    }
    return *this;
}

void ListeningSocketProbe::dump(Proto proto, std::vector<ListeningSocket>& out) {
    out.clear();
    dump_family(proto, AF_INET, out);
    dump_family(proto, AF_INET6, out);
}

std::vector<ListeningSocket> ListeningSocketProbe::dump(Proto proto) {
    std::vector<ListeningSocket> out;
    dump(proto, out);
    return out;
}

void ListeningSocketProbe::send_request(Proto proto, int family) {
    struct {
        nlmsghdr nlh;
        inet_diag_req_v2 req;
    } q{};
    q.nlh.nlmsg_len = sizeof q;
    q.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    q.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    q.nlh.nlmsg_seq = ++seq_;
    q.req.sdiag_family = static_cast<std::uint8_t>(family);
    q.req.sdiag_protocol = proto == Proto::tcp ? IPPROTO_TCP : IPPROTO_UDP;
    q.req.idiag_states = 1u << (proto == Proto::tcp ? TCP_LISTEN : kUdpUnconnected);
    q.req.idiag_ext = 0;  // INET_DIAG_SKV6ONLY comes unasked; nothing else is wanted
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
        ssize_t n = ::sendto(fd_, &q, sizeof q, 0, reinterpret_cast<sockaddr*>(&kernel),
                             sizeof kernel);
        if (n >= 0) return;
        if (errno != EINTR) throw_errno(errno, "sock_diag request");
    }
}

// A dump that threw midway (allocation failure, receive error) leaves the kernel's dump
// running on this socket, and the kernel answers every new request with EBUSY until it is
// drained. A fresh socket is cheaper and surer than draining.
void ListeningSocketProbe::reopen() {
    int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
    if (fd < 0) throw_errno(errno, "socket(AF_NETLINK, NETLINK_SOCK_DIAG)");
    ::close(fd_);
    fd_ = fd;
    in_dump_ = false;
}

// One datagram into buf_; its length. Throws on error, EOF or truncation.
long ListeningSocketProbe::receive() {
    iovec iov{buf_.data(), buf_.size()};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    for (;;) {
        ssize_t n = ::recvmsg(fd_, &msg, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "sock_diag receive");
        if (n == 0) throw_errno(ECONNRESET, "sock_diag receive: end of stream");
        if (msg.msg_flags & MSG_TRUNC) throw_errno(EMSGSIZE, "sock_diag receive: truncated");
        return static_cast<long>(n);
    }
}

void ListeningSocketProbe::dump_family(Proto proto, int family,
                                       std::vector<ListeningSocket>& out) {
    if (fd_ < 0) throw_errno(EBADF, "sock_diag dump on a moved-from probe");
    if (in_dump_) reopen();
    send_request(proto, family);
    in_dump_ = true;
    for (;;) {
        long len = receive();
        auto* h = reinterpret_cast<nlmsghdr*>(buf_.data());
        for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
            if (h->nlmsg_seq != seq_) continue;  // not ours; never expected after reopen()
            if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
                int err = netlink_error(h);
                if (h->nlmsg_type == NLMSG_ERROR && err == 0) continue;  // an ACK
                in_dump_ = false;
                if (err != 0) throw_errno(err, "sock_diag dump");
                return;
            }
            if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
            ListeningSocket& s = out.emplace_back();
            if (!decode_diag(h, proto, s)) out.pop_back();
        }
    }
}

std::vector<ListeningSocket> parse_proc_net(std::string_view contents, Proto proto, int family) {
    std::vector<ListeningSocket> out;
    if (family != AF_INET && family != AF_INET6) return out;
    while (!contents.empty()) {
        std::size_t nl = contents.find('\n');
        std::string_view line = contents.substr(0, nl);
        contents.remove_prefix(nl == std::string_view::npos ? contents.size() : nl + 1);
        if (auto s = parse_proc_row(line, proto, family)) out.push_back(std::move(*s));
    }
    return out;
}

std::vector<ListeningSocket> read_proc_net(Proto proto) {
    const char* v4 = proto == Proto::tcp ? "/proc/net/tcp" : "/proc/net/udp";
    const char* v6 = proto == Proto::tcp ? "/proc/net/tcp6" : "/proc/net/udp6";
    std::string text;
    if (int err = read_whole_file(v4, text)) throw_errno(err, v4);
    std::vector<ListeningSocket> out = parse_proc_net(text, proto, AF_INET);
    if (read_whole_file(v6, text) == 0) {
        auto more = parse_proc_net(text, proto, AF_INET6);
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    return out;
}

std::set<std::uint64_t> socket_inodes_of_pid(pid_t pid) {
    std::set<std::uint64_t> inodes;
    if (pid <= 0) return inodes;
    char path[32];
    std::snprintf(path, sizeof path, "/proc/%d/fd", static_cast<int>(pid));
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path), ::closedir);
    if (!dir) return inodes;
    constexpr std::string_view prefix = "socket:[";
    while (const dirent* e = ::readdir(dir.get())) {
        if (e->d_name[0] == '.') continue;
        char target[64];
        ssize_t n = ::readlinkat(::dirfd(dir.get()), e->d_name, target, sizeof target);
        if (n <= 0 || static_cast<std::size_t>(n) >= sizeof target) continue;
        std::string_view link(target, static_cast<std::size_t>(n));
        if (!link.starts_with(prefix) || !link.ends_with(']')) continue;
        std::uint64_t inode = 0;
        if (parse_dec(link.substr(prefix.size(), link.size() - prefix.size() - 1), inode))
            inodes.insert(inode);
    }
    return inodes;
}

bool address_covers(const ListeningSocket& s, std::string_view wanted_address) {
    if (wanted_address.empty() || wanted_address == "any" || wanted_address == "*")
        return true;
    const auto wanted = parse_address(wanted_address);
    const auto bound = parse_address(s.address);
    if (!wanted || !bound) return false;
    if (bound->family == wanted->family) return bound->is_any() || *bound == *wanted;
    // Only one cross-family case reaches the socket: IPv4 traffic to a dual-stack [::].
    // The text is authoritative for the family: "::ffff:a.b.c.d" parsed as IPv4 above.
    return bound->family == AF_INET6 && wanted->family == AF_INET && bound->is_any() &&
           s.family == AF_INET6 && s.v6only_known && !s.v6only;
}

}  // namespace bbx::probes
