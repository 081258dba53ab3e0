// Fake servers: the stand-ins for a subject's dependencies.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bbx/model/common.hpp"

namespace bbx::model {

struct HttpMatch {
  std::string method;  // empty = any
  std::string path;    // glob ('*', '?'); empty = any
};

struct HttpResponse {
  int status = 200;
  std::map<std::string, std::string> headers;
  std::string body;
  Duration delay{0};
};

struct HttpRoute {
  HttpMatch match;
  HttpResponse respond;
  SourceLocation where;
};

enum class FakeKind { http, statsd, tcp };

// Metric fakes (kind statsd): `statsd: {...}` (UDP by default, or TCP lines) and
// `graphite: {...}` (graphite plaintext over TCP).
enum class MetricFormat { statsd, graphite };
enum class LossPolicy { fail, warn };  // what kernel-reported UDP drops do to the run

struct MetricOptions {
  MetricFormat format = MetricFormat::statsd;
  bool tcp = false;                          // statsd over TCP ('\n'-separated lines)
  std::int64_t receive_buffer = 16 << 20;    // UDP SO_RCVBUF(FORCE) bytes
  LossPolicy on_loss = LossPolicy::fail;
};

struct Fake {
  std::string name;
  FakeKind kind = FakeKind::http;
  int port = 0;                 // 0 = pick a free port ("auto")
  std::string host = "127.0.0.1";
  std::vector<HttpRoute> routes;  // http: first match wins, in written order
  HttpResponse unmatched{404, {}, "no route matched\n", Duration{0}};
  MetricOptions metrics;          // statsd/graphite only
  SourceLocation where;
};

}  // namespace bbx::model
