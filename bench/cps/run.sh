#!/usr/bin/env bash
# Calls per second through a SIP element on loopback: SIPp UAC (127.0.0.2) → element → SIPp UAS (127.0.0.3),
# INVITE/180/200/ACK/BYE without media (Tests/GatehouseServerTests/scenarios/{uac,uas}-basic.xml), at rising rates.
# For each rate it prints the calls attempted, failed, the setup time (INVITE → 200) p50/p99 and the rate SIPp
# actually reached; at the end, the highest rate with under 0.1 % failed calls.
#
#   bench/cps/run.sh gatehouse [RATES…]         Gatehouse (release build) on policies/lab.yaml: lab-pbx (127.0.0.2)
#                                               calls +15551230000 through 127.0.0.10 to lab-carrier (127.0.0.3)
#   bench/cps/run.sh kamailio [RATES…]          Kamailio 5.6 as a stateful record-routing proxy (kamailio.cfg here)
#   bench/cps/run.sh ADDR:PORT [RATES…]          any element already listening there
#
# Every step is bounded: SECONDS (default 10) of calls at the rate, then a drain; everything started is stopped
# by pid.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scenarios="$root/Tests/GatehouseServerTests/scenarios"
target=${1:?usage: bench/cps/run.sh kamailio|ADDR:PORT [RATES…]}
shift
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(100 200 400 600 800 1000 1200 1600 2000)
seconds=${SECONDS_PER_RATE:-10}
work=$(mktemp -d)
pids=()
cleanup() {
    # SIGTERM first (Kamailio shuts down cleanly on it), then SIGKILL for what ignores it (SIPp may).
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

element="$target"
if [ "$target" = gatehouse ]; then
    binary="$root/.build/release/gatehouse"
    [ -x "$binary" ] || { echo "build it first: swift build -c release --product gatehouse" >&2; exit 2; }
    "$binary" serve --policy "$root/policies/lab.yaml" --log-level error >"$work/gatehouse.log" 2>&1 &
    pids+=($!)
    element=127.0.0.10:5060
    sleep 1
elif [ "$target" = kamailio ]; then
    command -v kamailio >/dev/null || { echo "kamailio is not installed (apt-get install kamailio)" >&2; exit 2; }
    kamailio -f "$here/kamailio.cfg" -D -E -P "$work/kamailio.pid" -w "$work" >"$work/kamailio.log" 2>&1 &
    pids+=($!)
    element=127.0.0.40:5060
    sleep 1
fi

# The callee answers every call for the whole run.
sipp -sf "$scenarios/uas-basic.xml" -i 127.0.0.3 -p 5060 -nostdin >"$work/uas.log" 2>&1 &
pids+=($!)
sleep 0.5

best=0
printf '%-8s %9s %7s %9s %9s %10s\n' rate calls failed p50_ms p99_ms reached
for rate in "${rates[@]}"; do
    calls=$((rate * seconds))
    step="$work/rate-$rate"
    mkdir -p "$step"
    (cd "$step" && timeout $((seconds + 40)) sipp -sf "$scenarios/uac-basic.xml" "$element" -i 127.0.0.2 -p 5062 \
        -s +15551230000 -r "$rate" -m "$calls" -l $((rate * 3)) -nostdin -timeout $((seconds + 30))s \
        -trace_stat -stf stats.csv -trace_rtt -rtt_freq 1 >sipp.log 2>&1) || true
    read -r attempted failed p50 p99 reached < <(python3 - "$step" "$calls" <<'PY'
import csv, glob, sys
step, calls = sys.argv[1], int(sys.argv[2])
rows = list(csv.reader(open(f"{step}/stats.csv"), delimiter=";"))
head, last = rows[0], rows[-1]
def col(name):
    return float(last[head.index(name)] or 0)
ok, bad = int(col("SuccessfulCall(C)")), int(col("FailedCall(C)"))
times = []
for path in glob.glob(f"{step}/*_rtt.csv"):
    for line in open(path).read().splitlines()[1:]:
        parts = line.split(";")
        if len(parts) >= 2:
            try: times.append(float(parts[1]))
            except ValueError: pass
times.sort()
def pct(p):
    return times[min(len(times) - 1, int(len(times) * p))] if times else -1
# Calls that never completed count as failed.
bad = max(bad, calls - ok)
rate = col("CallRate(C)")  # calls created per second over the whole step, as SIPp measured it
print(ok + bad, bad, f"{pct(0.5):.1f}", f"{pct(0.99):.1f}", f"{rate:.0f}")
PY
    )
    printf '%-8s %9s %7s %9s %9s %10s\n' "$rate" "$attempted" "$failed" "$p50" "$p99" "$reached"
    if [ "$attempted" -gt 0 ] && [ $((failed * 1000)) -lt "$attempted" ]; then best=$rate; else break; fi
done
echo "target=$target max_cps=$best"
