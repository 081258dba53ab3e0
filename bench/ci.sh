# bbx in CI at scale, printed as FIGURE lines:
#   ci.speedup_j2          100 trivial scenarios (bench/scenarios/overhead.yaml: a subject,
#                          an HTTP fake, a step, an assertion): wall at -j1 over wall at -j2,
#                          median of 3 interleaved passes each (goal >= 1.7 on 2 cores)
#   ci.repeat_ms_per_iter  `--repeat 100` of a minimal scenario (one mark step: what is left is
#                          bbx's own cost per attempt): (wall - wall of one run) / 99 (goal
#                          <= 5 ms); ci.repeat_trivial_ms_per_iter the same for the trivial
#                          scenario above (its subject, fake and request included)
#   ci.junit_mb_10k        junit.xml of 10,000 scenarios (10% failing, each failure with its
#                          message, window and subject lines) in MB (goal <= 30, GitLab's limit)
#   ci.stack_capture_s     the failure bundle's stack capture of a hung subject of 16 processes
#                          and 208 threads (python3: 15 forked children, 13 threads each), from
#                          the failure.stacks event (goal <= 2 s)
# About 2 minutes on 2 cores. Isolation: $ISOLATION (default auto).
set -euo pipefail
W="$BENCH_OUT/ci"; rm -rf "$W"; mkdir -p "$W"
iso=(--isolation "${ISOLATION:-auto}")
now() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# -j2 against -j1
mkdir -p "$W/trivial"
for i in $(seq -w 100); do
  sed "s/^name: .*/name: trivial $i/" "$BENCH_DIR/scenarios/overhead.yaml" > "$W/trivial/t_$i.yaml"
done
"$BBX" run "${iso[@]}" --runs-dir "$W/runs" "$W/trivial/t_001.yaml" > /dev/null  # warm
pass() {  # pass J: wall ns of one `bbx run -jJ` over the 100
  local s; rm -rf "$W/runs"; s=$(now)
  "$BBX" run -j "$1" "${iso[@]}" --runs-dir "$W/runs" "$W/trivial" > "$W/pass_j$1.txt" \
    || { echo "bench/ci: a trivial scenario failed, see $W/pass_j$1.txt" >&2; exit 1; }
  echo $(( $(now) - s ))
}
j1=(); j2=()
for _ in 1 2 3; do j1+=("$(pass 1)"); j2+=("$(pass 2)"); done
m1=$(printf '%s\n' "${j1[@]}" | median); m2=$(printf '%s\n' "${j2[@]}" | median)
echo "info 100 trivial scenarios: -j1 ${j1[*]} ns, -j2 ${j2[*]} ns"
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "FIGURE ci.speedup_j2 %.2f ratio\n", a / b }'

# --repeat
if "$BBX" help run 2>&1 | grep -q -- '--repeat'; then
  printf 'name: minimal\nsteps:\n  - mark: here\n' > "$W/minimal.yaml"
  repeat_cost() {  # repeat_cost FILE FIGURE
    local one=() hundred=() s a b
    for _ in 1 2 3; do
      rm -rf "$W/runs"; s=$(now); "$BBX" run "${iso[@]}" --runs-dir "$W/runs" "$1" > /dev/null; one+=($(( $(now) - s )))
      rm -rf "$W/runs"; s=$(now); "$BBX" run "${iso[@]}" --repeat 100 --runs-dir "$W/runs" "$1" > "$W/repeat.txt" \
        || { echo "bench/ci: --repeat 100 failed, see $W/repeat.txt" >&2; exit 1; }
      hundred+=($(( $(now) - s )))
    done
    a=$(printf '%s\n' "${one[@]}" | median); b=$(printf '%s\n' "${hundred[@]}" | median)
    awk -v a="$a" -v b="$b" -v f="$2" 'BEGIN { printf "FIGURE %s %.2f ms\n", f, (b - a) / 99 / 1e6 }'
  }
  repeat_cost "$W/minimal.yaml" ci.repeat_ms_per_iter
  repeat_cost "$W/trivial/t_001.yaml" ci.repeat_trivial_ms_per_iter
else
  echo "info ci.repeat_ms_per_iter skipped: this bbx has no --repeat"
fi

# JUnit of 10,000 scenarios: 9,000 that pass, 1,000 that fail with output to quote
mkdir -p "$W/many"
for i in $(seq -w 10000); do
  if [ $((10#$i % 10)) -eq 0 ]; then
    printf 'name: scenario %s fails\nsubjects:\n  app: {shell: "echo starting %s; echo connecting to db; sleep 30", ready: {log: starting}}\nsteps:\n  - wait: {output: "connected", subject: app, timeout: 10ms}\n' "$i" "$i"
  else
    printf 'name: scenario %s\nsteps:\n  - mark: m%s\n' "$i" "$i"
  fi > "$W/many/s_$i.yaml"
done
rm -rf "$W/runs"
s=$(now)
"$BBX" run -j 2 "${iso[@]}" --runs-dir "$W/runs" --junit "$W/junit.xml" "$W/many" > "$W/many.txt" 2>&1 || true
e=$(now)
grep -q "10000 scenarios" "$W/many.txt" || { echo "bench/ci: the 10,000 scenarios did not all run:" >&2; tail -5 "$W/many.txt" >&2; exit 1; }
echo "info 10,000 scenarios at -j2 in $(awk -v ns=$((e - s)) 'BEGIN { printf "%.1f", ns / 1e9 }') s: $(tail -2 "$W/many.txt" | head -1)"
awk -v b="$(stat -c %s "$W/junit.xml")" 'BEGIN { printf "FIGURE ci.junit_mb_10k %.2f MB\n", b / 1e6 }'
rm -rf "$W/many" "$W/runs"

# Stack capture of a hung 16-process, 208-thread subject
cat > "$W/hung.yaml" <<'YAML'
name: hung tree
timeout: 3s
subjects:
  tree:
    command: [python3, -c, "import os, threading, time\ndef sleeper(): time.sleep(3600)\nfor i in range(15):\n    if os.fork() == 0:\n        [threading.Thread(target=sleeper, daemon=True).start() for _ in range(12)]\n        time.sleep(3600)\n[threading.Thread(target=sleeper, daemon=True).start() for _ in range(12)]\ntime.sleep(1)\nprint('ready', flush=True)\ntime.sleep(3600)\n"]
    ready: {log: ready, within: 10s}
    stop: {grace: 100ms}
steps:
  - wait: {file: never, timeout: 30s}
YAML
caps=()
for _ in 1 2 3; do
  rm -rf "$W/runs"
  "$BBX" run "${iso[@]}" --runs-dir "$W/runs" "$W/hung.yaml" > "$W/hung.txt" 2>&1 || true
  ev=$(jq -c 'select(.type == "failure.stacks") | .body' "$W"/runs/latest/*/events.jsonl)
  [ -n "$ev" ] || { echo "bench/ci: no failure.stacks event, see $W/hung.txt" >&2; exit 1; }
  echo "info stacks: $ev"
  caps+=("$(jq -r '.capture_ms' <<< "$ev")")
done
c=$(printf '%s\n' "${caps[@]}" | median)
awk -v c="$c" 'BEGIN { printf "FIGURE ci.stack_capture_s %.3f s\n", c / 1000 }'
rm -rf "$W"
