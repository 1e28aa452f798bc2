#!/usr/bin/env bash
# Runs every UAC/UAS scenario pair here directly against each other (no Gatehouse in the middle), over UDP and
# TCP, to prove the scenarios themselves before they are used around the B2BUA.
#
#   check-pairs.sh [CALLS]        (default 3 calls per pair and transport; loopback 127.0.0.2 → 127.0.0.3)
set -u
cd "$(dirname "$0")"
calls=${1:-3}
failed=0
for uac in uac-*.xml; do
    name=${uac#uac-}
    uas=uas-$name
    [ -f "$uas" ] || continue  # uac-no-answer.xml needs Gatehouse in the middle (see README.md)
    [ "$name" = session-expiry.xml ] && continue  # so does this pair: Gatehouse refreshes and hangs up
    [ "$name" = media-timeout.xml ] && continue  # and this one: Gatehouse hangs up a silent call
    for transport in u1 t1; do
        sipp -sf "$uas" -i 127.0.0.3 -p 5060 -t "$transport" -m "$calls" -nostdin >/dev/null 2>&1 &
        uas_pid=$!
        sleep 0.5
        timeout 60 sipp -sf "$uac" 127.0.0.3:5060 -i 127.0.0.2 -p 5060 -t "$transport" -m "$calls" -r 10 \
            -nostdin >/dev/null 2>&1
        status=$?
        sleep 0.5
        kill "$uas_pid" 2>/dev/null
        wait "$uas_pid" 2>/dev/null
        echo "${name%.xml} $transport: $([ $status -eq 0 ] && echo ok || echo "FAILED ($status)")"
        [ $status -eq 0 ] || failed=1
    done
done
exit $failed
