#!/usr/bin/env bash
# Diagnostic (not a benchmark figure): where the HTTP fake's CPU goes, per runner thread.
# Usage: bench/tools/http_threads.sh [BBX] [WRK ARGS...]   (default: build/bbx, -t2 -c32 -d5s)
#        THREADS=N: the fake's `threads:` (default 1: served on the run's loop)
# Starts one HTTP fake with full capture (bench/scenarios/http_fake.yaml, as bench/http.sh),
# runs wrk against it and prints req/s, each runner thread's user and system CPU (% of a
# core over the run) and its context switches: the loop thread (first), the journal writer,
# and with THREADS above 1 the fake's workers (named http:api).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
BBX=${1:-$root/build/bbx}; shift || true
ARGS=${*:--t2 -c32 -d5s}
PORT=${PORT:-18397}
W=$(mktemp -d); trap 'kill $B 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$W"' EXIT
sed "s/port: 18381}/port: $PORT, threads: ${THREADS:-1}}/" "$root/bench/scenarios/http_fake.yaml" > "$W/s.yaml"
"$BBX" run --isolation none --runs-dir "$W/runs" "$W/s.yaml" > "$W/out" 2>&1 & B=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
RUN=$(pgrep -P $B | head -1)
wrk -t2 -c32 -d1s "http://127.0.0.1:$PORT/" > /dev/null   # warm-up
snap() { for t in /proc/$RUN/task/*; do echo "$(basename "$t")/$(tr -d ' ' < "$t/comm") $(awk '{print $14, $15}' "$t/stat")"; done; }
s0=$(snap); t0=$(date +%s.%N)
# shellcheck disable=SC2086
wrk $ARGS "http://127.0.0.1:$PORT/" | grep -E "Requests/sec"
t1=$(date +%s.%N); s1=$(snap)
hz=$(getconf CLK_TCK)
join <(echo "$s0") <(echo "$s1") | awk -v dt="$(echo "$t1 - $t0" | bc)" -v hz="$hz" \
  '{printf "thread %s user %.0f%% sys %.0f%%\n", $1, ($4-$2)*100/hz/dt, ($5-$3)*100/hz/dt}'
grep -H ctxt_switches /proc/$RUN/task/*/status | sed 's|/proc/[0-9]*/task/||; s|/status:|: |'
