#include "fakes/fake_server.hpp"

namespace bbx::fakes {

std::unique_ptr<FakeServer> make_http_fake(runtime::RunContext& ctx, const model::Fake& fake);
std::unique_ptr<FakeServer> make_statsd_udp_fake(runtime::RunContext& ctx, const model::Fake& fake);
std::unique_ptr<FakeServer> make_metric_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake);
std::unique_ptr<FakeServer> make_tcp_fake(runtime::RunContext& ctx, const model::Fake& fake);

std::unique_ptr<FakeServer> make_fake_server(runtime::RunContext& ctx, const model::Fake& fake) {
  switch (fake.kind) {
    case model::FakeKind::http: return make_http_fake(ctx, fake);
    case model::FakeKind::statsd:
      return fake.metrics.tcp ? make_metric_tcp_fake(ctx, fake) : make_statsd_udp_fake(ctx, fake);
    case model::FakeKind::tcp: return make_tcp_fake(ctx, fake);
  }
  fail_harness("fake '" + fake.name + "': this kind of fake is not available in this build");
}

}  // namespace bbx::fakes
