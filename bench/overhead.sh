# scenario.overhead_ms_j1 / _j2: 100 trivial scenarios (one subject, one HTTP fake, one step,
# one assertion) in one `bbx run` at -j1 and -j2: wall ms per scenario minus the spawn floor
# (posix_spawn + waitpid of /bin/true, bench/tools/spawn_floor.cpp). Also prints the
# wall per scenario itself. Isolation: $ISOLATION (default auto).
set -euo pipefail
tools="$BENCH_OUT/tools"; mkdir -p "$tools"
g++ -O2 -std=c++20 -o "$tools/spawn_floor" "$BENCH_DIR/tools/spawn_floor.cpp"
"$tools/spawn_floor" 200 > /dev/null
floor=$("$tools/spawn_floor" 1000)
echo "FIGURE spawn.floor_ms $floor ms"
dir="$BENCH_OUT/overhead-scenarios"; rm -rf "$dir"; mkdir -p "$dir"
for i in $(seq -w 100); do
  sed "s/^name: .*/name: trivial $i/" "$BENCH_DIR/scenarios/overhead.yaml" > "$dir/trivial_$i.yaml"
done
"$BBX" run --isolation "${ISOLATION:-auto}" --runs-dir "$BENCH_OUT/runs-overhead" "$dir/trivial_001.yaml" > /dev/null  # warm
for j in 1 2; do
  s=$(date +%s%N)
  "$BBX" run -j "$j" --isolation "${ISOLATION:-auto}" --runs-dir "$BENCH_OUT/runs-overhead" "$dir" > "$BENCH_OUT/overhead_j$j.txt" \
    || { echo "bench/overhead: a scenario failed, see $BENCH_OUT/overhead_j$j.txt" >&2; exit 1; }
  e=$(date +%s%N)
  awk -v ns=$((e - s)) -v f="$floor" -v j="$j" 'BEGIN {
    per = ns / 1e6 / 100
    printf "scenario wall at -j%d: %.2f ms per scenario\n", j, per
    printf "FIGURE scenario.overhead_ms_j%d %.2f ms\n", j, per - f }'
done
rm -rf "$BENCH_OUT/runs-overhead" "$dir"
