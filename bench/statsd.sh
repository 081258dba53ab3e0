# UDP statsd capture: ../shared/peers/udp_send.c (sendmmsg blaster of `app.requests:1|c`)
# at max rate and at 100k/s against the bbx statsd fake (full capture: every datagram
# journaled raw and parsed) and the raw recvmmsg receiver (udp_recv.c, 16 MiB buffer),
# same run, 3 reps, interleaved. Figures (medians over reps):
#   statsd.loss_pct_max, statsd.raw_loss_pct_max, statsd.loss_pct_100k, statsd.raw_loss_pct_100k,
#   statsd.unparsed_or_unjournaled (datagrams bbx received but did not journal with a parsed
#   sample; received = sent - kernel drops reported by bbx), statsd.etsy_loss_pct_max
#   (etsy statsd 0.9 from npm, installed once into $BENCH_OUT/etsy, blasted at max rate in
#   the same reps; its count is statsd.packets_received from its management console once
#   stable, as ../shared/peers/udp_bench.sh does; missing when node/npm are not usable) and
#   statsd.received_ratio_vs_etsy_max (bbx's received fraction / etsy's, medians).
set -euo pipefail
W="$BENCH_OUT/statsd"; rm -rf "$W"; mkdir -p "$W"
PEERS=${PEERS:-$(cd "$BENCH_DIR/../.." && pwd)/shared/peers}
[ -f "$PEERS/udp_send.c" ] || PEERS=/work/shared/peers
gcc -O2 -o "$W/udp_send" "$PEERS/udp_send.c"
gcc -O2 -o "$W/udp_recv" "$PEERS/udp_recv.c"
REPS=${REPS:-3}; NPKT=${NPKT:-1000000}; MAXS=${MAXS:-5}
median() { sort -g | awk '{v[NR]=$1} END {print (NR ? v[int((NR+1)/2)] : "")}'; }
pct() { awk -v s="$1" -v g="$2" 'BEGIN {printf "%.3f", (s - g) * 100.0 / s}'; }
wait_udp() { for _ in $(seq 200); do ss -Hlun "sport = :$1" | grep -q . && return 0; sleep 0.05; done; return 1; }

cat > "$W/bench.yaml" <<'YAML'
name: statsd bench
timeout: 400s
fakes:
  metrics:
    statsd: {port: 18125, on_loss: warn}
steps:
  - sleep: 300s
YAML

run_bbx() {  # rate -> "sent journaled_samples datagrams dropped"
  local runs="$W/runs-$1-$2"
  "$BBX" run --isolation none --runs-dir "$runs" "$W/bench.yaml" > "$runs.out" 2>&1 & local pid=$!
  wait_udp 18125
  local sent; sent=$("$W/udp_send" 18125 "$NPKT" "$MAXS" "$1" | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
  sleep 1; kill -TERM $pid; wait $pid || true
  local j="$runs/latest/statsd_bench/events.jsonl"
  local samples datagrams dropped
  samples=$(grep -c '"name":"app.requests","rate":1.0,"tags":\[\],"type":"c","value":1.0' "$j" || true)
  datagrams=$(grep -c '"type":"statsd.datagram"' "$j" || true)
  dropped=$({ grep '"type":"statsd.loss"' "$j" || true; } | sed -n 's/.*"dropped":\([0-9]*\).*/\1/p' | awk '{s+=$1} END {print s+0}')
  echo "$sent $samples $datagrams $dropped"
  rm -rf "$runs"
}

run_raw() {  # rate -> "sent received"
  "$W/udp_recv" 18126 16777216 1000 30 > "$W/recv.txt" 2>&1 & local pid=$!
  for _ in $(seq 100); do grep -q ready "$W/recv.txt" && break; sleep 0.02; done
  local sent; sent=$("$W/udp_send" 18126 "$NPKT" "$MAXS" "$1" | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
  wait $pid || true
  echo "$sent $(sed -n 's/.*received=\([0-9]*\).*/\1/p' "$W/recv.txt")"
}

# etsy statsd (npm `statsd`): UDP 18128, management console 18129, console backend, no flush.
ETSY="$BENCH_OUT/etsy"; etsy_reason=""
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  etsy_reason="node or npm is not installed"
elif [ ! -f "$ETSY/node_modules/statsd/stats.js" ] &&
     ! timeout 90 npm install --no-save --no-audit --no-fund --prefix "$ETSY" statsd@0.9 > "$W/etsy-npm.log" 2>&1; then
  etsy_reason="npm install statsd failed, see $W/etsy-npm.log"
fi
cat > "$W/etsy.js" <<'CFG'
{ port: 18128, address: "127.0.0.1", mgmt_address: "127.0.0.1", mgmt_port: 18129,
  dumpMessages: false, flushInterval: 3600000, backends: ["./backends/console"] }
CFG
etsy_packets() {  # statsd.packets_received from the management console, "" if it does not answer
  local out="" l
  exec 3<> /dev/tcp/127.0.0.1/18129 || return 0
  echo counters >&3
  while IFS= read -r -t 3 l <&3; do [ "$l" = END ] && break; out+="$l"$'\n'; done
  echo quit >&3; exec 3>&-
  sed -n "s/.*'statsd.packets_received': \([0-9]*\).*/\1/p" <<< "$out"
}
run_etsy() {  # rate -> "sent received" (received empty when etsy did not start)
  (cd "$ETSY" && exec timeout 60 node node_modules/statsd/stats.js "$W/etsy.js") > "$W/etsy.out" 2>&1 & local pid=$!
  wait_udp 18128 && for _ in $(seq 200); do ss -Hltn "sport = :18129" | grep -q . && break; sleep 0.05; done
  local sent; sent=$("$W/udp_send" 18128 "$NPKT" "$MAXS" "$1" | sed -n 's/.*sent=\([0-9]*\).*/\1/p')
  local got="" prev=-1
  for _ in $(seq 50); do   # until its count stops moving (at most ~10 s)
    got=$(etsy_packets); [ "$got" = "$prev" ] && break; prev=$got; sleep 0.2
  done
  kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true
  echo "$sent $got"
}

unjournaled=0
for rep in $(seq 1 "$REPS"); do
  if [ -z "$etsy_reason" ]; then
    read -r sent got < <(run_etsy 0)
    echo "etsy rate=0 sent=$sent received=${got:-none}" | tee -a "$W/log.txt"
    if [ -n "$got" ]; then echo "etsy 0 $(pct "$sent" "$got")" >> "$W/results.txt"
    else etsy_reason="etsy statsd did not answer on its management port, see $W/etsy.out"; fi
  fi
  for rate in 0 100000; do
    read -r sent samples datagrams dropped < <(run_bbx "$rate" "$rep")
    received=$((sent - dropped))
    echo "bbx rate=$rate sent=$sent datagrams=$datagrams samples=$samples kernel_dropped=$dropped" | tee -a "$W/log.txt"
    echo "bbx $rate $(pct "$sent" "$samples")" >> "$W/results.txt"
    unjournaled=$((unjournaled + received - samples))
    read -r sent got < <(run_raw "$rate")
    echo "raw rate=$rate sent=$sent received=$got" | tee -a "$W/log.txt"
    echo "raw $rate $(pct "$sent" "$got")" >> "$W/results.txt"
  done
done
med() { awk -v t="$1" -v r="$2" '$1==t && $2==r {print $3}' "$W/results.txt" | median; }
echo "FIGURE statsd.loss_pct_max $(med bbx 0) %"
echo "FIGURE statsd.raw_loss_pct_max $(med raw 0) %"
echo "FIGURE statsd.loss_pct_100k $(med bbx 100000) %"
echo "FIGURE statsd.raw_loss_pct_100k $(med raw 100000) %"
echo "FIGURE statsd.unparsed_or_unjournaled $unjournaled datagrams"
if [ -z "$etsy_reason" ]; then
  echo "FIGURE statsd.etsy_loss_pct_max $(med etsy 0) %"
  awk -v b="$(med bbx 0)" -v e="$(med etsy 0)" \
    'BEGIN { printf "FIGURE statsd.received_ratio_vs_etsy_max %.3f ratio\n", (100 - b) / (100 - e) }'
else
  echo "FIGURE statsd.etsy_loss_pct_max missing ($etsy_reason)"
fi
