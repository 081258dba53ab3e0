#!/usr/bin/env bash
# scripts/check-layers on this tree passes with 0 violations; on a copy with one planted
# upward include (process/ including runner/) it fails and names the file and line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$root/scripts/check-layers")
echo "$out" | grep -q '^0 violations' || { echo "FAIL: expected 0 violations on the tree:"; echo "$out"; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/src" "$root/include" "$tmp/"
mkdir -p "$tmp/scripts" && cp "$root/scripts/check-layers" "$tmp/scripts/"
printf '#include "runner/coordinator.hpp"\n' >> "$tmp/src/process/spawn.hpp"
line=$(wc -l < "$tmp/src/process/spawn.hpp")
set +e
planted=$("$tmp/scripts/check-layers")
status=$?
set -e
[ "$status" -eq 1 ] || { echo "FAIL: planted violation: exit $status, expected 1"; echo "$planted"; exit 1; }
echo "$planted" | grep -q "^src/process/spawn.hpp:$line: 'process' includes 'runner/coordinator.hpp' from 'runner', a higher layer" ||
  { echo "FAIL: planted violation not reported at src/process/spawn.hpp:$line"; echo "$planted"; exit 1; }
echo "$planted" | grep -q '^1 violation in' || { echo "FAIL: expected exactly 1 violation"; echo "$planted"; exit 1; }

# A peer include (fakes/ including process/, same rank) is refused too.
cp "$root/src/process/spawn.hpp" "$tmp/src/process/spawn.hpp"
printf '#include "process/spawn.hpp"\n' >> "$tmp/src/fakes/fake_server.hpp"
set +e
peer=$("$tmp/scripts/check-layers")
status=$?
set -e
[ "$status" -eq 1 ] && echo "$peer" | grep -q "'fakes' includes 'process/spawn.hpp' from 'process', a peer" ||
  { echo "FAIL: peer include not refused"; echo "$peer"; exit 1; }
echo "ok: tree clean, planted upward and peer includes refused"
