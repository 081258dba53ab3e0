# spawn.floor_ms: posix_spawn + waitpid of /bin/true (the floor under any subject start);
# scenario.wall_ms: `bbx run` of one trivial scenario (a fake, a subject, a request, an
# assertion), median of 20 end-to-end runs including bbx's own start.
set -euo pipefail
tools="$BENCH_OUT/tools"; mkdir -p "$tools"
g++ -O2 -std=c++20 -o "$tools/spawn_floor" "$BENCH_DIR/tools/spawn_floor.cpp"
"$tools/spawn_floor" 200 > /dev/null   # warm the page cache
floor=$("$tools/spawn_floor" 1000)
echo "FIGURE spawn.floor_ms $floor ms"

runs="$BENCH_OUT/runs-trivial"
times=()
for i in $(seq 20); do
  s=$(date +%s%N)
  "$BBX" run --runs-dir "$runs" "$BENCH_DIR/scenarios/trivial.yaml" > /dev/null
  e=$(date +%s%N)
  times+=($(( (e - s) / 1000 )))
done
median_us=$(printf '%s\n' "${times[@]}" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
awk -v us="$median_us" -v f="$floor" 'BEGIN {
  printf "FIGURE scenario.wall_ms %.2f ms\n", us / 1000
  printf "FIGURE scenario.wall_ratio_vs_spawn_floor %.1f ratio\n", (us / 1000) / f }'
rm -rf "$runs"
