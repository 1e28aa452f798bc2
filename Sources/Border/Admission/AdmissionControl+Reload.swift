extension AdmissionControl {
    /// Admission control under a new configuration (a policy reload), keeping what must survive it: the blocks in
    /// force (an attacker is not unblocked by a reload; newly allowlisted addresses are) and the call slots of
    /// calls in progress, so concurrency limits keep counting them. Token buckets and offender counts start
    /// afresh: they describe the last seconds only.
    public func reconfigured(
        _ configuration: AdmissionConfiguration, at now: AdmissionInstant
    ) throws(AdmissionConfigurationError) -> AdmissionControl {
        var next = try AdmissionControl(configuration)
        for entry in blocklist.list(at: now) where !next.blocklist.isAllowlisted(entry.address) {
            next.blocklist.add(entry)
        }
        next.calls.adopt(from: calls)
        next.counters = counters
        return next
    }

    /// Takes a slot for a call that is already in progress, whatever the limits say (calls admitted before a
    /// reload that lowered them).
    public mutating func restoreCall(callID: String, peer: String?) {
        calls.restore(callID: callID, peer: peer)
    }
}

extension ConcurrencyLimiter {
    /// Holds every call `other` holds, limits notwithstanding.
    mutating func adopt(from other: ConcurrencyLimiter) {
        for (callID, holder) in other.holders { restore(callID: callID, peer: holder.peer) }
    }

    /// Holds `callID`, limits notwithstanding.
    mutating func restore(callID: String, peer: String?) {
        guard holders[callID] == nil else { return }
        holders[callID] = Holder(peer: peer)
        if let peer { perPeerCounts[peer, default: 0] += 1 }
    }
}
