// What the metric fakes (statsd UDP/TCP, graphite TCP) write to the journal, and how
// assertions read it back. Assertions are computed from journal events (DESIGN: the
// journal is the only record), so `metric:` expectations call aggregate_from_journal().
//
// Events, all with source {kind: "fake", name: <fake name>}:
//  statsd.receiver  {transport: "udp"|"tcp", format: "statsd"|"graphite", port,
//                    receive_buffer (bytes the kernel granted, udp only), forced (bool:
//                    SO_RCVBUFFORCE worked), requested (bytes asked for)}
//  statsd.datagram  {n (1-based, per fake), from: "ip:port", raw (the payload as
//                    received, bytes = its length; TCP: the complete lines of one read),
//                    samples: [to_json(MetricSample) (parse.hpp: name, type,
//                    value, rate, tags ["k:v"|"k"], delta/container/timestamp when set)],
//                    events, checks, errors (counts, only when non-zero)}. Samples are inline, not one
//                    event each: that halves the journal cost per datagram on the hot
//                    path (bench/statsd.sh); everything else is rare and gets its own event:
//  statsd.event     to_json(StatsdEvent) + {n}
//  statsd.service_check  to_json(ServiceCheck) + {n}
//  statsd.parse_error    {line, reason, n}       — never dropped, never silent
//  statsd.loss      {dropped (new since the last report), total, counter: "SO_RXQ_OVFL"|
//                    "SO_MEMINFO"} — the kernel dropped datagrams before bbx read them.
// `n` ties an event/check/error to its datagram. A datagram's events are appended
// together, datagram first, in wire order.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/metrics/aggregate.hpp"
#include "journal/journal.hpp"

namespace bbx::fakes {

struct DatagramInfo {
  std::uint64_t n = 0;
  std::string_view from;       // "127.0.0.1:40000"
};

// Appends the events for one parsed payload to `out` (for Journal::append_batch). The
// datagram's body takes parsed.samples (parsed is left without them) and writes its
// JSON text itself, no tree on the receive path.
void datagram_events(const std::string& fake, const DatagramInfo& info, std::string_view raw, ParsedDatagram&& parsed,
                     std::vector<journal::Journal::Pending>& out);

// Rebuilds a sample from one element of statsd.datagram .samples. Throws nlohmann::json::exception when the
// body does not have that shape.
MetricSample sample_from_json(const nlohmann::json& body);

// Aggregates every sample (statsd.datagram .samples) of fake `fake` with seq >= from_seq, in journal order;
// parse errors count as bad lines. Reads evicted events back from disk (for_each).
MetricAggregates aggregate_from_journal(const journal::EventLog& journal, std::string_view fake,
                                        std::uint64_t from_seq = 1);

// Total datagrams the kernel reported dropped for `fake` (sum of statsd.loss.dropped).
std::uint64_t dropped_from_journal(const journal::EventLog& journal, std::string_view fake);

}  // namespace bbx::fakes
