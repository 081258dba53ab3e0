# Capture memory: one scenario captures 1,000,000 statsd datagrams (a command step runs
# ../shared/peers/udp_send at 105k/s: a rate the raw recvmmsg receiver takes with zero loss,
# bench/statsd.sh), then checks `metric: count: 1000000` after the stop (the whole journal
# is read back). A second scenario serves 1,000,000 HTTP requests (a command step runs wrk
# -t2 -c32 with a Lua script that stops each thread after 500,000 responses, at most 45 s)
# with full capture, then checks `request: count: ">= 1000000"`.
# Peak RSS = wait4() ru_maxrss of `bbx run` (bench/tools/peak_rss.cpp): the largest RSS of
# bbx and every process it reaped, the runner included, over the whole run. Goal: < 200 MB.
# Figures:
#   capture.rss_mb_1m            statsd scenario, whole run
#   capture.rss_mb_1m_capturing  statsd scenario, sampled VmHWM while udp_send ran
#   capture.datagrams_sent       what udp_send sent (it stops at 10 s: fewer than 1M on a loaded machine)
#   capture.unjournaled_1m       datagrams sent minus statsd.datagram events in events.jsonl
#   capture.http_rss_mb_1m, capture.http_rss_mb_1m_capturing, capture.http_requests,
#   capture.http_unjournaled     (wrk-completed requests minus journaled http.request; <= 0 is good)
set -euo pipefail
W="$BENCH_OUT/capture"; rm -rf "$W"; mkdir -p "$W"
PEERS=${PEERS:-$(cd "$BENCH_DIR/../.." && pwd)/shared/peers}
[ -f "$PEERS/udp_send.c" ] || PEERS=/work/shared/peers
gcc -O2 -o "$W/udp_send" "$PEERS/udp_send.c"
g++ -O2 -std=c++20 -o "$W/peak_rss" "$BENCH_DIR/tools/peak_rss.cpp"
NPKT=${NPKT:-1000000}; RATE=${RATE:-105000}; NREQ=${NREQ:-1000000}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 143' TERM INT

descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
# Samples the max VmHWM of $1's descendants every 0.2 s while one named $2 is alive; writes
# the last value seen while it was alive (kB) to $W/capturing_$2.kb.
sample_capturing() {
  local top=$1 name=$2 max=0 seen=0 p kb
  for _ in $(seq 1500); do   # bounded: 300 s
    kill -0 "$top" 2>/dev/null || break
    local alive=0
    for p in $(descendants "$top"); do
      [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$name" ] && alive=1
      kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
      [ -n "$kb" ] && [ "$kb" -gt "$max" ] && max=$kb
    done
    if [ $alive = 1 ]; then seen=1; echo "$max" > "$W/capturing_$name.kb"
    elif [ $seen = 1 ]; then break; fi
    sleep 0.2
  done
}
mb() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
phases() {  # journal -> "steps X s, then Y s" (stop, settle, after-stop checks: step.end to scenario.end)
  grep -v -e '"type":"statsd.datagram"' -e '"type":"http.request"' "$1" | awk '
    /"type":"step.end"/ { match($0, /"t_ns":[0-9]+/); s = substr($0, RSTART + 7, RLENGTH - 7) }
    /"type":"scenario.end"/ { match($0, /"t_ns":[0-9]+/); e = substr($0, RSTART + 7, RLENGTH - 7) }
    END { printf "steps %.1f s, then stop and checks %.1f s", s / 1e9, (e - s) / 1e9 }'
}

run_scenario() {  # tag yaml capturing_comm -> runs bbx under peak_rss; sets RC to its exit code
  rm -f "$W/capturing_$3.kb"
  "$W/peak_rss" "$W/$1.rss" "$BBX" run --isolation none --runs-dir "$W/runs-$1" "$2" > "$W/$1.out" 2>&1 &
  local pid=$!; PIDS+=($pid)
  sample_capturing "$pid" "$3"
  RC=0; wait "$pid" || RC=$?
}

cat > "$W/statsd.yaml" <<YAML
name: capture statsd
timeout: 60s
fakes:
  metrics:
    statsd: {port: auto, on_loss: warn}
steps:
  - command:
      run: ["$W/udp_send", "\${fakes.metrics.port}", "$NPKT", "10", "$RATE"]
      timeout: 20s
    expect: {stdout_contains: "sent=$NPKT "}
expect:
  - metric: {fake: metrics, name: app.requests, type: counter, count: $NPKT}
YAML
run_scenario statsd "$W/statsd.yaml" udp_send
run=$(ls -d "$W"/runs-statsd/latest/*/)
datagrams=$(grep -c '"type":"statsd.datagram"' "$run/events.jsonl" || true)
sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$run"/logs/command-*.stdout 2>/dev/null | head -1)
sed -n 's/^\(PASS\|FAIL\|INTERRUPTED\|ERROR\).*/bbx: &/p' "$W/statsd.out" | head -3
echo "statsd scenario: exit $RC, udp_send sent ${sent:-?}, statsd.datagram events $datagrams, journal $(du -m "$run/events.jsonl" | cut -f1) MB, $(phases "$run/events.jsonl")"
echo "FIGURE capture.rss_mb_1m $(mb "$(sed -n 's/peak_rss_kb=//p' "$W/statsd.rss")") MB"
echo "FIGURE capture.rss_mb_1m_capturing $(mb "$(cat "$W/capturing_udp_send.kb" 2>/dev/null || echo 0)") MB"
echo "FIGURE capture.datagrams_sent ${sent:-0} datagrams"
echo "FIGURE capture.unjournaled_1m $((${sent:-0} - datagrams)) datagrams"
rm -rf "$W/runs-statsd"

if ! command -v wrk > /dev/null; then
  echo "FIGURE capture.http_rss_mb_1m missing (wrk is not installed)"
  exit 0
fi
per_thread=$((NREQ / 2))
cat > "$W/stop.lua" <<LUA
-- each wrk thread stops after $per_thread responses
local n = 0
function response()
  n = n + 1
  if n >= $per_thread then wrk.thread:stop() end
end
LUA
cat > "$W/http.yaml" <<YAML
name: capture http
timeout: 100s
fakes:
  api:
    http: {port: auto}
    routes:
      - match: {method: GET, path: "/*"}
        respond: {status: 200, body: ok}
steps:
  - command:
      run: ["$(command -v wrk)", -t2, -c32, -d45s, -s, "$W/stop.lua", "\${fakes.api.url}/"]
      timeout: 55s
expect:
  - request: {fake: api, method: GET, count: ">= $NREQ"}
YAML
run_scenario http "$W/http.yaml" wrk
run=$(ls -d "$W"/runs-http/latest/*/)
wrk_done=$(awk '/requests in/ {print $1}' "$run"/logs/command-*.stdout 2>/dev/null | head -1)
journaled=$(grep -c '"type":"http.request"' "$run/events.jsonl" || true)
sed -n 's/^\(PASS\|FAIL\|INTERRUPTED\|ERROR\).*/bbx: &/p' "$W/http.out" | head -3
echo "http scenario: exit $RC, wrk completed ${wrk_done:-?}, http.request events $journaled, journal $(du -m "$run/events.jsonl" | cut -f1) MB, $(phases "$run/events.jsonl")"
echo "FIGURE capture.http_rss_mb_1m $(mb "$(sed -n 's/peak_rss_kb=//p' "$W/http.rss")") MB"
echo "FIGURE capture.http_rss_mb_1m_capturing $(mb "$(cat "$W/capturing_wrk.kb" 2>/dev/null || echo 0)") MB"
echo "FIGURE capture.http_requests ${wrk_done:-0} requests"
echo "FIGURE capture.http_unjournaled $((${wrk_done:-0} - journaled)) requests"
rm -rf "$W/runs-http"
