# readiness.lag_median_ms / readiness.lag_p95_ms: from the subject's listen() (the peers'
# lazy_listen prints CLOCK_REALTIME right after listen()) to bbx's subject.ready event
# (its realtime_ns), over 60 `bbx run`s with listen delays of 100..300 ms.
# readiness.cpu_pct: the runner's CPU time while waiting / the wait's wall time (one core).
# Floors measured in the same run by the peers' ready_bench (sock_diag LISTEN dump every
# 1 ms) when /work/shared/peers is present.
set -euo pipefail
tools="$BENCH_OUT/tools"; mkdir -p "$tools"
peers="$BENCH_DIR/../../shared/peers"; [ -d "$peers" ] || peers=/work/shared/peers
gcc -O2 -o "$tools/lazy_listen" "$peers/lazy_listen.c"
runs="$BENCH_OUT/runs-readiness"; rm -rf "$runs"
trials=60
: > "$BENCH_OUT/readiness.tsv"
for i in $(seq $trials); do
  delay_us=$(( 100000 + (i * 37 % 200) * 1000 ))
  "$BBX" run --isolation "${ISOLATION:-auto}" --runs-dir "$runs" --var "lazy_listen=$tools/lazy_listen" \
    --var "delay_us=$delay_us" "$BENCH_DIR/scenarios/lazy_listen.yaml" > /dev/null
  j="$runs/latest/readiness_lag/events.jsonl"
  python3 - "$j" >> "$BENCH_OUT/readiness.tsv" <<'PY'
import json, sys
listened = ready = None
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["type"] == "output.line" and e["body"].get("stream") == "stdout" and listened is None:
        listened = int(e["body"]["line"])
    if e["type"] == "subject.ready":
        ready = e["body"]
print((ready["realtime_ns"] - listened) / 1e6, ready["cpu_ns"], ready["waited_ns"], sep="\t")
PY
done
python3 - "$BENCH_OUT/readiness.tsv" <<'PY'
import sys, statistics
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
lags = sorted(r[0] for r in rows)
p95 = lags[min(len(lags) - 1, int(round(0.95 * (len(lags) - 1))))]
cpu = 100.0 * sum(r[1] for r in rows) / sum(r[2] for r in rows)
print(f"FIGURE readiness.lag_median_ms {statistics.median(lags):.3f} ms")
print(f"FIGURE readiness.lag_p95_ms {p95:.3f} ms")
print(f"FIGURE readiness.cpu_pct {cpu:.2f} pct")
print(f"(trials: {len(lags)}; peers' floor: sock_diag LISTEN dump every 1 ms, median 0.5 ms, p95 1.1 ms)")
PY
# The floor, measured now: the peers' poller doing only a sock_diag dump every 1 ms.
if gcc -O2 -o "$tools/ready_bench" "$peers/ready_bench.c" 2>/dev/null && gcc -O2 -o "$tools/poll_diag" "$peers/poll_diag.c" 2>/dev/null; then
  echo "peer floor (sock_diag every 1 ms, 50 trials): $("$tools/ready_bench" "$tools" diag 50 47000 1 2>/dev/null | tail -1)"
fi
rm -rf "$runs"
