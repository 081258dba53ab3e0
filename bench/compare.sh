# Comparing runs (docs/comparing-runs.md):
#   compare.diff_s_250k, _500k, _1m   `bbx diff --json` of two N-event journals of a busy run
#                                     (bench/tools/journal_scan.cpp `gen`: deterministic but
#                                     for t_ns and wall, so the behaviour is the same), goal
#                                     <= 3 s at 1M and linear; compare.diff_rss_mb_1m its peak RSS;
#                                     compare.diff_cpu_s_250k, _500k, _1m its CPU time (user +
#                                     system, which the machine's other load does not change)
#   compare.gnu_diff_s_1m             GNU `diff` of the same two files: the floor of a naive
#                                     line diff (which reports every line, as t_ns differ)
#   compare.template_lines_per_s      masks + Drain tree over 1M generated log lines
#                                     (bench/tools/template_rate.cpp)
#   compare.false_diffs_50            scenarios/*.yaml learned with --repeat 10, then --repeat 50
#                                     --against it (COMPARE_RERUNS changes 50): scenario runs
#                                     reported as differing (goal 0), of compare.false_diffs_judged
#   compare.false_diffs_real_50       the same for scenarios/real/ (real daemons: their noise
#                                     learned by the baseline, and the compare: rules of
#                                     haproxy's and collectd's scenarios, docs/examples.md), of
#                                     compare.false_diffs_real_judged
#   compare.drifts_detected           tests/cases/compare/drift.yaml learned with --repeat 10,
#                                     then each injected drift (extra request, new error line,
#                                     changed metric value, changed header, readiness 300 ms
#                                     slower, request order swapped) run --against it: drifts
#                                     failing in the expected layer, of compare.drifts_injected
# About 3 minutes on 2 cores (most of it the scenario runs of false_diffs).
set -euo pipefail
root=$(cd "$BENCH_DIR/.." && pwd)
W="$BENCH_OUT/compare"; rm -rf "$W"; mkdir -p "$W"
cd "$root"
cmake --build build --target bbx-bench-journal bbx-bench-templates > "$W/build.log" 2>&1 \
  || { cat "$W/build.log" >&2; echo "bench/compare: building the tools failed" >&2; exit 1; }
g++ -O2 -std=c++20 -o "$W/peak_rss" "$BENCH_DIR/tools/peak_rss.cpp"
now() { date +%s%N; }
secs() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'; }

for n in 250000 500000 1000000; do
  build/bench/bbx-bench-journal gen "$W/a.jsonl" "$n" > /dev/null
  build/bench/bbx-bench-journal gen "$W/b.jsonl" "$n" > /dev/null
  t0=$(now)
  code=0; "$W/peak_rss" "$W/rss" "$BBX" diff --json "$W/a.jsonl" "$W/b.jsonl" > "$W/diff.json" || code=$?
  t1=$(now)
  [ "$code" -le 1 ] || { echo "bench/compare: bbx diff exited $code" >&2; exit 1; }
  label=$([ "$n" = 1000000 ] && echo 1m || echo "$((n / 1000))k")
  echo "FIGURE compare.diff_s_$label $(secs $((t1 - t0))) s"
  echo "FIGURE compare.diff_cpu_s_$label $(awk -F= '$1 == "cpu_s" { printf "%.2f", $2 }' "$W/rss") s"
  if [ "$n" = 1000000 ]; then
    echo "FIGURE compare.diff_rss_mb_1m $(awk -F= '$1 == "peak_rss_kb" { printf "%.1f", $2 / 1024 }' "$W/rss") MB"
    echo "info bbx diff of the two 1M journals: exit $code, $(python3 -c "import json,sys; d=json.load(open('$W/diff.json')); print(sum(len(s['differences']) for s in d['scenarios']))") differences"
    t0=$(now); timeout 100 diff "$W/a.jsonl" "$W/b.jsonl" > /dev/null || true; t1=$(now)
    echo "FIGURE compare.gnu_diff_s_1m $(secs $((t1 - t0))) s"
  fi
done
rm -f "$W/a.jsonl" "$W/b.jsonl"

build/bench/bbx-bench-templates 1000000

reruns=${COMPARE_RERUNS:-50}
# False differences, twice: bbx's own example scenarios (scenarios/*.yaml), and the real
# daemons of scenarios/real/ (their own run-to-run noise: log order, worker pids, timers,
# flushes), each against a baseline of 10 runs; the goal is 0 for both.
false_diffs() {  # NAME FILES...
  local name=$1; shift
  "$BBX" run -j 2 --runs-dir "$W/runs-$name" --repeat 10 --baseline-out "$W/$name.baseline.json" "$@" > "$W/learn-$name.log" 2>&1 \
    || { tail -20 "$W/learn-$name.log" >&2; echo "bench/compare: learning the $name baseline failed" >&2; exit 1; }
  "$BBX" run -j 2 --runs-dir "$W/runs-$name" --keep-runs 1 --repeat "$reruns" --against "$W/$name.baseline.json" "$@" \
    > "$W/against-$name.log" 2>&1 || true
  local line judged differ
  line=$(grep -E '^[0-9]+ scenarios? compared: ' "$W/against-$name.log" | tail -1)
  judged=$(echo "$line" | awk '{ print $1 }')
  differ=$(echo "$line" | sed -E 's/.*compared: ([0-9]+) differs?.*/\1/')
  echo "FIGURE compare.${name}_$reruns $differ runs"
  echo "FIGURE compare.${name}_judged $judged runs"
  [ "$differ" = 0 ] || grep -E '^  (behaviour|counts|numbers)' "$W/against-$name.log" | sort | uniq -c | sort -rn | head -10 | sed "s/^/info $name: /"
}
false_diffs false_diffs scenarios/*.yaml
# (not the *.inc.yaml files the scenarios include)
false_diffs false_diffs_real $(ls scenarios/real/*.yaml | grep -v '\.inc\.yaml$')

drift=tests/cases/compare/drift.yaml
"$BBX" run -j 2 --runs-dir "$W/drift" --repeat 10 --baseline-out "$W/drift.baseline.json" "$drift" > "$W/drift-learn.log" 2>&1 \
  || { tail -20 "$W/drift-learn.log" >&2; echo "bench/compare: learning the drift baseline failed" >&2; exit 1; }
detected=0; injected=0
check() {  # name, flags, the line the report must hold (a grep -E pattern)
  injected=$((injected + 1))
  local code=0
  "$BBX" run --runs-dir "$W/drift" --var "drift=$2" --against "$W/drift.baseline.json" "$drift" > "$W/drift-$1.log" 2>&1 || code=$?
  if [ "$code" = 1 ] && grep -qE "$3" "$W/drift-$1.log"; then detected=$((detected + 1)); else echo "info drift not detected: $1 (exit $code)"; fi
}
check extra_request --upstream-also=/extra "^  behaviour fake 'upstream' requests: \+2 request \"GET /extra\""
check error_line "--log-line='error: disk almost full'" "^  counts +subject 'app' stderr: new kind of line 'error: disk almost full'"
check metric_value --statsd-count=2 "^  behaviour fake 'metrics' metrics: sample \"fixture.requests\|c\" changed"
check header --upstream-header=X-Client:v2 "^  behaviour fake 'upstream' requests: request \"GET /api/x\" changed: headers: \+ X-Client: v2"
check readiness --listen-delay=300ms "^  numbers +subject 'app' ready after: .*outside the 99% interval"
check order --upstream-also-first "^  behaviour fake 'upstream' requests: 4 requests in another order"
echo "FIGURE compare.drifts_detected $detected of $injected"
echo "FIGURE compare.drifts_injected $injected drifts"
