# The resource sampler's cost (issue #19) as a share of one core, in scenarios this script
# writes, each run twice the same way but for `sample:` (on at the rate below, then `off`):
#   profile.pct_core_10x10hz   10 idle subjects (bbx-fixture) sampled at 10 Hz (goal <= 1 %)
#   profile.pct_core_50proc    one subject of 50 processes (bbx-fixture --spawn-children 49)
#                              at 10 Hz (goal <= 1 %)
#   profile.pct_core_100hz     one idle subject at 100 Hz (goal <= 3 %)
# Each is the CPU (user + system, from wait4's rusage) of the whole `bbx run` (coordinator,
# runner, subjects) with sampling on minus the same with `sample: off`, over the time the
# samples span: all the sampler costs (reading /proc or cgroups, journaling the samples,
# samples.csv, timer wake-ups), the median of PROFILE_REPEAT pairs. Beside each, the
# runner's own account (..._journal: the resource.sampler event's cpu_us, the CPU of the
# sampling ticks alone, over the same span) and the CPU per sample (..._us_per_sample).
#
# Peer in the same run: sysstat's pidstat (-u -r -d -w -v: CPU, memory, I/O, context
# switches, threads and fds, what the sampler reads) watching 10 idle bbx-fixture processes,
# its own CPU from wait4. pidstat's interval is whole seconds (`pidstat 0.1` is a usage
# error): it cannot sample at 10 Hz, so it runs at 1 Hz, its fastest, and the figure says so
# on an info line and in its unit (pct_at_1hz):
#   profile.pidstat_pct_core_10x10hz       pidstat on the same 10 processes at 1 Hz (NOT 10 Hz)
#   profile.pidstat_us_per_sample          its CPU per process sample (rate-independent)
#   profile.ratio_10hz_vs_pidstat_1hz      pct_core_10x10hz over pidstat's figure (bbx samples 10x as often)
#   profile.ratio_per_sample_vs_pidstat    bbx's CPU per sample over pidstat's
# PROFILE_SECONDS (default 6) is each run's sampling time; about 14 runs: ~100 s in all.
set -euo pipefail
W="$BENCH_OUT/profile"; rm -rf "$W"; mkdir -p "$W"
seconds=${PROFILE_SECONDS:-6}
repeat=${PROFILE_REPEAT:-2}
fixture="$(dirname "$BBX")/bbx-fixture"
command -v pidstat > /dev/null || { echo "bench/profile: pidstat not found (scripts/setup --bench installs sysstat)" >&2; exit 1; }

# scenario NAME SUBJECTS COMMAND SAMPLE: NAME-on.yaml (sample: SAMPLE) and NAME-off.yaml.
scenario() {
  local name=$1 subjects=$2 command=$3 sample=$4
  for mode in on off; do
    {
      echo "name: profile $name $mode"
      echo "subjects:"
      for i in $(seq 0 $((subjects - 1))); do
        echo "  s$i: {command: $command, sample: $([ $mode = on ] && echo "$sample" || echo off)}"
      done
      echo "steps:"
      echo "  - sleep: ${seconds}s"
    } > "$W/$name-$mode.yaml"
  done
}
scenario 10x10hz 10 "[bbx-fixture]" 100ms
scenario 50proc 1 "[bbx-fixture, --spawn-children, \"49\"]" 100ms
scenario 100hz 1 "[bbx-fixture]" 10ms

python3 - "$W" "$BBX" "$fixture" "$seconds" "$repeat" <<'PY'
import glob, json, os, statistics, subprocess, sys, time
W, bbx, fixture, seconds, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

def cpu_of(argv, **kw):
    """Runs argv to its end; its CPU seconds (it and every descendant it waited for)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    if p.returncode != 0:
        sys.exit(f"bench/profile: {' '.join(argv)} exited {p.returncode}: {err[-2000:]}")
    return ru.ru_utime + ru.ru_stime

def journal(runs):
    """(span s, samples, sampler cpu_us, max processes of a subject) of the run's one scenario."""
    [path] = glob.glob(os.path.join(runs, "latest", "*", "events.jsonl"))
    first = last = None
    samples = cpu_us = procs = 0
    for line in open(path):
        e = json.loads(line)
        if e["type"] == "resource.sample":
            samples += 1
            first = e["t_ns"] if first is None else first
            last = e["t_ns"]
            procs = max(procs, e["body"].get("processes", 0))
        elif e["type"] == "resource.sampler":
            cpu_us = e["body"]["cpu_us"]
    return ((last - first) / 1e9 if samples else 0.0), samples, cpu_us, procs

def run(name, mode, k):
    runs = os.path.join(W, f"runs-{name}-{mode}-{k}")
    cpu = cpu_of([bbx, "run", "--runs-dir", runs, os.path.join(W, f"{name}-{mode}.yaml")])
    return cpu, journal(runs)

figures = {}
for name in ["10x10hz", "50proc", "100hz"]:
    diffs, spans, journaled, per_sample = [], [], [], []
    for k in range(repeat):
        on, (span, samples, cpu_us, procs) = run(name, "on", k)
        off, _ = run(name, "off", k)
        diffs.append(on - off)
        spans.append(span)
        journaled.append(cpu_us / 1e6 / span * 100)
        per_sample.append((on - off) * 1e6 / samples)
        print(f"info {name} run {k + 1}: on {on * 1000:.0f} ms CPU, off {off * 1000:.0f} ms, {samples} samples "
              f"over {span:.2f} s (up to {procs} processes a subject), sampler's own account {cpu_us / 1000:.0f} ms")
    span = statistics.median(spans)
    figures[name] = statistics.median(diffs) / span * 100
    figures[name + "_journal"] = statistics.median(journaled)
    figures[name + "_us"] = statistics.median(per_sample)

# pidstat on 10 idle fixtures at 1 Hz (its fastest) for the same time.
fixtures = [subprocess.Popen([fixture], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(10)]
try:
    time.sleep(0.3)
    pids = ",".join(str(f.pid) for f in fixtures)
    started = time.monotonic()
    pid_cpu = cpu_of(["pidstat", "-h", "-u", "-r", "-d", "-w", "-v", "-p", pids, "1", str(seconds)],
                     env=dict(os.environ, LC_ALL="C"))
    pid_span = time.monotonic() - started
finally:
    for f in fixtures:
        f.terminate()
        f.wait()
pid_samples = (seconds + 1) * 10  # a read of each process at the start and after each interval
pid_pct = pid_cpu / pid_span * 100
pid_us = pid_cpu * 1e6 / pid_samples
print(f"info pidstat: {pid_cpu * 1000:.0f} ms CPU over {pid_span:.2f} s, {pid_samples} process samples at 1 Hz "
      f"(pidstat's interval is whole seconds: it cannot sample at 10 Hz)")

def fig(name, value, unit):
    print(f"FIGURE {name} {value:.3f} {unit}")

for name in ["10x10hz", "50proc", "100hz"]:
    fig(f"profile.pct_core_{name}", figures[name], "pct")
    fig(f"profile.pct_core_{name}_journal", figures[name + "_journal"], "pct")
    fig(f"profile.us_per_sample_{name}", figures[name + "_us"], "us")
print("info profile.pidstat_pct_core_10x10hz is pidstat at 1 Hz, its fastest (whole-second intervals), not 10 Hz")
fig("profile.pidstat_pct_core_10x10hz", pid_pct, "pct_at_1hz")
fig("profile.pidstat_us_per_sample", pid_us, "us")
fig("profile.ratio_10hz_vs_pidstat_1hz", figures["10x10hz"] / pid_pct, "ratio")
fig("profile.ratio_per_sample_vs_pidstat", figures["10x10hz_us"] / pid_us, "ratio")
PY
rm -rf "$W"/runs-*
