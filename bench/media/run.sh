#!/usr/bin/env bash
# Media relay throughput on loopback: `gatehouse bench relay` (release build) through bare loopback (the machine's
# limit with this load generator), Gatehouse's relay and rtpengine (userspace, --table=-1), for 1, 100 and 1000
# concurrent streams of 172-byte RTP packets, RTP→RTP and RTP→SRTP. Prints two Markdown tables:
#
#   1. the highest paced rate carried with less than 1 % loss (`--search`: the load is paced, split evenly over
#      the streams, and raised 25 % a step until 1 % or more is lost, then the gap halved twice), with the packets/s
#      delivered at that rate; "≥" marks a cell where the load generator, not the relay, ran out first;
#   2. packets/s delivered under a flood (the load as fast as its thread sends), which is what a relay
#      does when overloaded (rtpengine stops forwarding a stream it falls 50 packets behind on: 0).
#
#   bench/media/run.sh [SECONDS]        SECONDS measured per search step and per flood cell (default 2)
#   TABLES=search|flood|both            which tables (default both)
#
# The relay and rtpengine each get THREADS (default 1) threads; the load generator one and the sink one
# (on a 2-core machine, three busy threads or more on two cores). Every cell is bounded in time (a search is at most
# 24 steps); rtpengine is started and stopped by the benchmark itself (by pid). The load average before each table
# is printed with it: other work on the machine lowers every figure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
binary="$root/.build/release/gatehouse"
[ -x "$binary" ] || { echo "build it first: swift build -c release --product gatehouse" >&2; exit 2; }
seconds=${1:-2}
threads=${THREADS:-1}
tables=${TABLES:-both}

# One search cell: "RATE (DELIVERED)", with "≥" when the load generator was the limit; "n/a" with the reason on
# stderr when the run failed.
search_cell() {
    local line
    if line=$(timeout 300 "$binary" bench relay --search --seconds "$seconds" --threads "$threads" "$@" 2>&1 \
        | tail -1) && [[ $line == lossless_pps=* ]]; then
        local rate=${line#lossless_pps=}
        rate=${rate%% *}
        local delivered=${line#*delivered_pps=}
        delivered=${delivered%% *}
        local mark=""
        [[ $line == *limit=generator* ]] && mark="≥"
        echo "$mark$rate ($delivered)"
    else
        echo "bench relay $*: $line" >&2
        echo "n/a"
    fi
}

# One flood cell: the delivered packets/s.
flood_cell() {
    local line
    if line=$(timeout 120 "$binary" bench relay --seconds "$seconds" --threads "$threads" "$@" 2>&1 | tail -1) \
        && [[ $line == relay_pps=* ]]; then
        line=${line#relay_pps=}
        echo "${line%% *}"
    else
        echo "bench relay $*: $line" >&2
        echo "n/a"
    fi
}

header() {
    echo "| streams | loopback | Gatehouse RTP→RTP | rtpengine RTP→RTP | Gatehouse RTP→SRTP | rtpengine RTP→SRTP |"
    echo "|---:|---:|---:|---:|---:|---:|"
}

# A table of `cell` (search_cell or flood_cell) for 1, 100 and 1000 streams.
table() {
    local cell=$1
    header
    for streams in 1 100 1000; do
        echo "| $streams | $($cell --through loopback --streams "$streams") \
| $($cell --through gatehouse --streams "$streams") | $($cell --through rtpengine --streams "$streams") \
| $($cell --through gatehouse --streams "$streams" --protect srtp) \
| $($cell --through rtpengine --streams "$streams" --protect srtp) |"
    done
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

if [[ $tables == search || $tables == both ]]; then
    echo "Highest paced rate with less than 1 % loss, packets/s (delivered packets/s at that rate); load $(load)"
    echo
    table search_cell
    echo
    echo "steps of ${seconds} s; load after: $(load)"
    echo
fi
if [[ $tables == flood || $tables == both ]]; then
    echo "Flood, packets/s delivered; load $(load)"
    echo
    table flood_cell
    echo
    echo "${seconds} s per cell; load after: $(load)"
    echo
fi
echo "relay threads: $threads, the load 1 thread, the sink 1 thread, $(nproc) cores; $(date -u +%F)"
