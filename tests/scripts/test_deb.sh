#!/usr/bin/env bash
# The .deb CPack makes installs with `apt-get install ./bbx_*.deb`, its bbx runs an example
# scenario from the installed paths, and a small CMake project that uses
# find_package(bbx) + bbx_add_scenarios() registers and passes the scenario under ctest.
# Installs and then removes the package bbx on this machine, so it runs only as root and
# for the release build. Usage: test_deb.sh BUILD_DIR BUILD_TYPE
set -euo pipefail
build=$(cd "$1" && pwd)
if [ "$(id -u)" -ne 0 ] || [ "${2:-}" != Release ]; then
  echo "skipped: needs root and the release build (installs the package)"
  exit 0
fi
work=$(mktemp -d)
cleanup() {
  DEBIAN_FRONTEND=noninteractive apt-get remove -y -q bbx > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/pkg" > "$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB"; }
deb=$(ls "$work"/pkg/bbx_*.deb)
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q bbx > /dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" > "$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install $deb"; }
[ -x /usr/bin/bbx ] && [ -x /usr/bin/bbx-supervise ] || fail "bbx or bbx-supervise not in /usr/bin"
[ -f /usr/share/bbx/schema/bbx-scenario.schema.json ] || fail "the JSON Schema is not installed"
[ -f /usr/lib/x86_64-linux-gnu/cmake/bbx/bbxConfig.cmake ] || [ -f /usr/lib/cmake/bbx/bbxConfig.cmake ] || fail "no CMake package"

# An example scenario, run from the installed paths.
(cd "$work" && /usr/bin/bbx run --runs-dir "$work/runs" /usr/share/bbx/examples/proxy_forwards.yaml) > "$work/run.log" 2>&1 ||
  { cat "$work/run.log"; fail "the installed bbx did not pass the installed example"; }
grep -q '1 scenario: 1 passed' "$work/run.log" || { cat "$work/run.log"; fail "unexpected summary"; }

# A project that registers its scenarios with CTest.
mkdir -p "$work/project/scenarios"
cp /usr/share/bbx/examples/proxy_forwards.yaml "$work/project/scenarios/"
cat > "$work/project/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(uses_bbx NONE)
enable_testing()
find_package(bbx REQUIRED)
bbx_add_scenarios(scenarios)
CMAKE
cmake -S "$work/project" -B "$work/project/build" > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "configure with find_package(bbx)"; }
(cd "$work/project/build" && ctest -N -L bbx) > "$work/ctest-n.log"
grep -q 'bbx:proxy forwards to upstream' "$work/ctest-n.log" || { cat "$work/ctest-n.log"; fail "the scenario is not a CTest test"; }
(cd "$work/project/build" && ctest --output-on-failure) > "$work/ctest.log" 2>&1 || { cat "$work/ctest.log"; fail "ctest"; }
grep -q '100% tests passed, 0 tests failed out of 1' "$work/ctest.log" || { cat "$work/ctest.log"; fail "ctest summary"; }
echo "ok: the .deb installs, runs its example, and bbx_add_scenarios registers it with CTest"
