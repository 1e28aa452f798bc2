import NIOCore

/// The documents the admin API serves about the node itself.
extension GatehouseNode {
    public func policyDocument(policyFile: String?) -> PolicyDocument {
        let snapshot = policyInForce.snapshot
        let counts = counters.snapshot
        return PolicyDocument(
            generation: snapshot.generation, file: policyFile, node: snapshot.policy.node.name,
            realms: snapshot.policy.realms.map(\.name), peers: snapshot.policy.peers.map(\.name),
            reloadsApplied: counts.reloadsSucceeded, reloadsRefused: counts.reloadsFailed)
    }

    public func statusDocument(policyFile: String?, listening: Bool) async -> StatusDocument {
        let counts = counters.snapshot
        let census = await engine.census()
        let draining = await engine.isDraining()
        let calls = await engine.callSummaries()
        var responses: [String: Int] = [:]
        for (code, count) in counts.responses { responses[NodeMetrics.statusClass(code), default: 0] += count }
        return StatusDocument(
            node: policy.node.name, version: GatehouseVersion.current,
            uptimeSeconds: Int((NIODeadline.now() - createdAt).nanoseconds / 1_000_000_000),
            ready: listening && !draining, draining: draining, policy: policyDocument(policyFile: policyFile),
            calls: StatusDocument.CallCounts(
                active: calls.count, answered: calls.filter { $0.state == "answered" }.count),
            registrations: StatusDocument.RegistrationCounts(
                relayed: census.relayedRegistrations, ims: await imsRegisteredSetCount()),
            messages: StatusDocument.MessageCounts(
                received: counts.received.values.reduce(0, +), responses: responses,
                refused: counts.refused.values.reduce(0, +), dropped: counts.dropped.values.reduce(0, +),
                unparseable: counts.rejected.values.reduce(0, +)),
            history: activity.history, recentRefusals: activity.recentRefusals)
    }
}
