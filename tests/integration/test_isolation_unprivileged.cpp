// A non-root bbx gets the same network and PID isolation as root where the kernel allows
// unprivileged user namespaces: two scenarios binding the same fixed port run side by side,
// and summary.json says which mode ran. Runs bbx as user nobody (setpriv), so it needs root.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include "harness.hpp"

using namespace bbx::testing;

namespace {

const char* kFixedPort = R"(name: fixed port NAME
subjects:
  app:
    command: [bbx-fixture, --listen, "18080"]
    ready: {listening: 18080, within: 5s}
steps:
  - http: {get: "http://127.0.0.1:18080/health"}
    expect: {status: 200}
expect:
  - listening: {subject: app, port: 18080}
)";

}  // namespace

TEST_CASE("as a non-root user, scenarios run in namespaces and fixed ports do not collide under -j2") {
  if (::geteuid() != 0 || ::access("/usr/bin/setpriv", X_OK) != 0) {
    MESSAGE("skipped: needs root to switch to user nobody with /usr/bin/setpriv");
    return;
  }
  auto dir = fresh_dir("isolation-unprivileged");
  for (const char* name : {"a", "b"}) write_file(dir / (std::string(name) + ".yaml"), replaced(kFixedPort, "NAME", name));
  ::chmod(dir.c_str(), 0777);
  for (const auto& f : {"a.yaml", "b.yaml"}) ::chmod((dir / f).c_str(), 0644);
  auto r = run_command({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", bbx_binary().string(), "run",
                        "-j2", "--runs-dir", (dir / "runs").string(), (dir / "a.yaml").string(), (dir / "b.yaml").string()});
  INFO(r.out, r.err);
  auto summary = read_summary(dir / "runs");
  if (r.err.find("isolation none: namespaces are not available") != std::string::npos) {
    // The kernel refuses unprivileged user namespaces here: the fallback must say why.
    CHECK(r.err.find("user namespace") != std::string::npos);
    return;
  }
  CHECK(r.exit_code == 0);
  REQUIRE(summary["scenarios"].size() == 2);
  for (const auto& s : summary["scenarios"]) {
    CHECK(s["verdict"] == "passed");
    CHECK(s["isolation"] == "namespaces");
  }
}
