#!/usr/bin/env bash
# Media relay throughput on loopback: `gatehouse bench relay` (release build) through bare loopback (the machine's
# limit with this load generator), Gatehouse's relay and rtpengine (userspace, --table=-1), for 1, 100 and 1000
# concurrent streams of 172-byte RTP packets, RTP→RTP and RTP→SRTP. Prints a Markdown table of packets/s
# delivered to the sinks.
#
#   bench/media/run.sh [SECONDS]        SECONDS measured per cell (default 5)
#
# The relay and rtpengine each get THREADS (default 1) threads; the senders and the sinks have a thread each.
# Every cell is bounded in time; rtpengine is started and stopped by the benchmark itself (by pid).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary="$root/.build/release/gatehouse"
[ -x "$binary" ] || { echo "build it first: swift build -c release --product gatehouse" >&2; exit 2; }
seconds=${1:-5}
threads=${THREADS:-1}

# One cell: the delivered packets/s, or "n/a" with the reason on stderr.
cell() {
    local line
    if line=$("$binary" bench relay --seconds "$seconds" --threads "$threads" "$@" 2>&1 | tail -1) \
        && [[ $line == relay_pps=* ]]; then
        line=${line#relay_pps=}
        echo "${line%% *}"
    else
        echo "bench relay $*: $line" >&2
        echo "n/a"
    fi
}

echo "| streams | loopback | Gatehouse RTP→RTP | rtpengine RTP→RTP | Gatehouse RTP→SRTP | rtpengine RTP→SRTP |"
echo "|---:|---:|---:|---:|---:|---:|"
for streams in 1 100 1000; do
    echo "| $streams | $(cell --through loopback --streams "$streams") \
| $(cell --through gatehouse --streams "$streams") | $(cell --through rtpengine --streams "$streams") \
| $(cell --through gatehouse --streams "$streams" --protect srtp) \
| $(cell --through rtpengine --streams "$streams" --protect srtp) |"
done
echo
echo "packets/s delivered, ${seconds} s per cell, relay threads: $threads, $(nproc) cores; $(date -u +%F)"
