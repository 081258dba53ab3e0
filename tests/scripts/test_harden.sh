#!/usr/bin/env bash
# scripts/harden, small: 2 kill runs per isolation mode and 6 torture scenarios, fixed seed
# (19: its kills come 0.4-1.0 s after the start, when the trees run).
# The trees ran when killed (at least one, under load) and nothing survived; the torture run gave every
# scenario a verdict, none of them "error"; the table says so and the script exits 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$("$root/scripts/harden" --only kill,torture --kill-runs 2 --torture 6 --seed 19) || {
  echo "FAIL: scripts/harden exited $?"; echo "$out"; exit 1; }
echo "$out"
echo "$out" | grep -Eq '^kill \(none\) +2  trees alive at the kill [12], survivors 0, leftover sockets 0, unreadable journals 0$' ||
  { echo "FAIL: the kill row (none)"; exit 1; }
echo "$out" | grep -Eq '^torture \(-j2\) +6  survivors 0, leftover sockets 0, no verdict 0, verdict error 0, peak RSS MB [0-9.]+, exit [01], seconds [0-9.]+, passed/failed [0-6]/[0-6]$' ||
  { echo "FAIL: the torture row"; exit 1; }
