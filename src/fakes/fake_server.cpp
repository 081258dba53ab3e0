#include "fakes/fake_server.hpp"

#include "util/overloaded.hpp"

namespace bbx::fakes {

std::unique_ptr<FakeServer> make_http_fake(runtime::RunContext& ctx, const model::Fake& fake, const model::HttpFakeSpec& http);
std::unique_ptr<FakeServer> make_statsd_udp_fake(runtime::RunContext& ctx, const model::Fake& fake,
                                                 const model::MetricFakeSpec& metric);
std::unique_ptr<FakeServer> make_metric_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake,
                                                 const model::MetricFakeSpec& metric);
std::unique_ptr<FakeServer> make_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake, const model::TcpFakeSpec& tcp);

std::unique_ptr<FakeServer> make_fake_server(runtime::RunContext& ctx, const model::Fake& fake) {
  return std::visit(util::Overloaded{
                        [&](const model::HttpFakeSpec& http) { return make_http_fake(ctx, fake, http); },
                        [&](const model::MetricFakeSpec& metric) {
                          return metric.transport == model::MetricTransport::tcp ? make_metric_tcp_fake(ctx, fake, metric)
                                                                                 : make_statsd_udp_fake(ctx, fake, metric);
                        },
                        [&](const model::TcpFakeSpec& tcp) { return make_tcp_fake(ctx, fake, tcp); },
                    },
                    fake.spec);
}

}  // namespace bbx::fakes
