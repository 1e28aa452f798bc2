import GatehousePolicy

/// The live capture's lifecycle: opened at start from the policy's `capture:`, replaced by a reload that changes
/// it, flushed and closed at stop.
extension GatehouseNode {
    func startCapture(_ snapshot: ActivePolicy.Snapshot) {
        let tap = snapshot.policy.capture.map {
            SignallingTap($0, node: snapshot.policy.node.name, policyDirectory: snapshot.directory, logger: logger)
        }
        self.tap.replace(with: tap)?.close()
    }

    func stopCapture() {
        tap.replace(with: nil)?.close()
    }

    /// After a reload: a changed (or new, or removed) `capture:` takes effect now.
    func reconcileCapture(old: Policy, new snapshot: ActivePolicy.Snapshot) {
        guard isListening, old.capture != snapshot.policy.capture || old.node.name != snapshot.policy.node.name else {
            return
        }
        startCapture(snapshot)
        if snapshot.policy.capture == nil { logger.notice("SIP capture stopped by the reload") }
    }
}
