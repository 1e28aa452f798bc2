#!/usr/bin/env bash
# Builds the libFuzzer harnesses and runs each for a fixed time.
#
#   fuzz/run.sh SECONDS [HARNESS…]     HARNESS: FuzzSIPMessage FuzzSIPStream FuzzSDP FuzzCapture (default: all)
#
# Each harness runs on its own working corpus, fuzz/corpus-work/NAME, seeded from fuzz/corpus/{sip,sdp} (and, for
# the SIP harnesses, from the RFC 4475 / RFC 5118 vectors in Tests/SIPMessageTests/Fixtures when present); what the
# fuzzer learns stays there between runs (git-ignored). Crash reproducers and each run's log go to
# fuzz/artifacts/NAME/. One line per harness:
#
#   fuzz NAME: runs=N exec_per_s=M crashes=K
#
# Exits non-zero if any harness crashed (the reproducer stays in artifacts/; replay it with
# `fuzz/.build-fuzz/debug/NAME fuzz/artifacts/NAME/crash-…`). Works from any directory.
set -euo pipefail

usage() {
    echo "usage: $0 SECONDS [FuzzSIPMessage|FuzzSIPStream|FuzzSDP|FuzzCapture …]" >&2
    exit 2
}

[[ $# -ge 1 && $1 =~ ^[0-9]+$ && $1 -gt 0 ]] || usage
seconds=$1
shift
all_harnesses=(FuzzSIPMessage FuzzSIPStream FuzzSDP FuzzCapture)
if [[ $# -gt 0 ]]; then harnesses=("$@"); else harnesses=("${all_harnesses[@]}"); fi
for harness in "${harnesses[@]}"; do
    [[ " ${all_harnesses[*]} " == *" $harness "* ]] || { echo "unknown harness: $harness" >&2; usage; }
done

fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$fuzz_dir/.." && pwd)
fixtures="$root/Tests/SIPMessageTests/Fixtures"

# The only flag combination that builds libFuzzer + AddressSanitizer under SwiftPM (shared/NOTES-SWIFT.md).
build_flags=(-c debug --scratch-path "$fuzz_dir/.build-fuzz" --sanitize=fuzzer
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld)
cd "$fuzz_dir"
echo "building fuzz harnesses…" >&2
swift build "${build_flags[@]}" >&2
bin_dir=$(swift build "${build_flags[@]}" --show-bin-path)

failed=0
for harness in "${harnesses[@]}"; do
    case $harness in
        FuzzSDP) seeds=corpus/sdp dict=() ;;
        FuzzCapture) seeds=corpus/capture dict=() ;;
        *) seeds=corpus/sip dict=(-dict="$fuzz_dir/sip.dict") ;;
    esac
    work="$fuzz_dir/corpus-work/$harness"
    artifacts="$fuzz_dir/artifacts/$harness"
    mkdir -p "$work" "$artifacts"
    cp -n "$fuzz_dir/$seeds"/* "$work"/ 2>/dev/null || true
    if [[ $harness == FuzzSIPMessage || $harness == FuzzSIPStream ]]; then
        for vectors in rfc4475 rfc5118; do
            for file in "$fixtures/$vectors"/*.dat; do
                if [[ -f $file ]]; then cp -n "$file" "$work/$vectors-$(basename "$file")"; fi
            done
        done
    fi

    before=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | wc -l)
    log="$artifacts/last-run.log"
    status=0
    # The Swift backtracer and AddressSanitizer both want the crash signals; let ASan have them.
    SWIFT_BACKTRACE=enable=no "$bin_dir/$harness" \
        -max_total_time="$seconds" -max_len=8192 -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" "${dict[@]}" "$work" >"$log" 2>&1 || status=$?
    after=$(find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
        -o -name 'oom-*' \) | wc -l)
    crashes=$((after - before))
    if [[ $status -ne 0 && $crashes -eq 0 ]]; then crashes=1; fi  # died without writing a reproducer

    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [[ -z $runs ]]; then  # fall back to "Done N runs in S second(s)"
        done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
        if [[ -n $done_line ]]; then
            runs=$(awk '{print $2}' <<<"$done_line")
            elapsed=$(awk '{print $5}' <<<"$done_line")
            rate=$((runs / (elapsed > 0 ? elapsed : 1)))
        fi
    fi
    echo "fuzz $harness: runs=${runs:-0} exec_per_s=${rate:-0} crashes=$crashes"
    if [[ $crashes -gt 0 ]]; then
        failed=1
        echo "  log: $log" >&2
        grep -E 'Fatal error|ERROR: |SUMMARY|^artifact_prefix|Test unit written' "$log" | head -8 | sed 's/^/  /' >&2
    fi
done
exit $failed
