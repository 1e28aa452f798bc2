import Border
import NIOCore
import Transport

/// `/metrics`: at each scrape the node's own counts are brought into its Prometheus registry (`NodeMetrics`) and
/// the registry is serialized in the text exposition format.
extension GatehouseNode {
    /// The exposition of every metric, as of now.
    public func metricsExposition() async -> [UInt8] {
        let snapshot = counters.snapshot
        for (realm, methods) in snapshot.receivedByMethod {
            for (method, count) in methods {
                metrics.export(
                    "gatehouse_sip_messages_received_total", ["realm": realm, "method": method], total: count)
            }
        }
        for (realm, methods) in snapshot.sentByMethod {
            for (method, count) in methods {
                metrics.export("gatehouse_sip_messages_sent_total", ["realm": realm, "method": method], total: count)
            }
        }
        var responsesByClass: [String: Int] = [:]
        for (code, count) in snapshot.responses { responsesByClass[NodeMetrics.statusClass(code), default: 0] += count }
        for (statusClass, count) in responsesByClass {
            metrics.export("gatehouse_sip_responses_sent_total", ["class": statusClass], total: count)
        }
        for (kind, count) in snapshot.rejected {
            metrics.export("gatehouse_sip_parse_errors_total", ["kind": kind], total: count)
        }
        for (reason, count) in snapshot.dropped {
            metrics.export("gatehouse_sip_dropped_total", ["reason": reason], total: count)
        }
        for (reason, count) in snapshot.refused {
            metrics.export("gatehouse_border_refusals_total", ["reason": reason], total: count)
        }
        for (key, count) in snapshot.detections {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            metrics.export(
                "gatehouse_detections_total", ["reason": parts[0], "action": parts.count > 1 ? parts[1] : "-"],
                total: count)
        }
        for (event, count) in snapshot.registrations {
            metrics.export("gatehouse_registration_events_total", ["event": event], total: count)
        }
        metrics.export("gatehouse_policy_reloads_total", ["result": "applied"], total: snapshot.reloadsSucceeded)
        metrics.export("gatehouse_policy_reloads_total", ["result": "refused"], total: snapshot.reloadsFailed)

        let transport = transportCounters.snapshot
        metrics.set("gatehouse_connections_open", Double(transport.openConnections))
        for (event, count) in [
            ("accepted", transport.acceptedConnections), ("refused", transport.refusedConnections),
            ("reaped", transport.reapedConnections), ("outbound", transport.outboundConnections),
            ("failed", transport.failedConnections),
        ] {
            metrics.export("gatehouse_connection_events_total", ["event": event], total: count)
        }
        metrics.export("gatehouse_send_failures_total", [:], total: transport.failedSends)

        let admission = await engine.admissionCensus()
        var decisions: [String: Int] = [:]
        for (key, count) in admission.counters.counts where key.kind != .admitted {
            decisions["\(key.kind)/\(key.reason.code)", default: 0] += Int(count)
        }
        for (label, count) in decisions {
            let parts = label.split(separator: "/", maxSplits: 1).map(String.init)
            metrics.export(
                "gatehouse_admission_decisions_total", ["decision": parts[0], "reason": parts[1]], total: count)
        }
        metrics.set("gatehouse_blocklist_entries", Double(admission.blocked))

        let census = await engine.census()
        for peer in exportedCallPeers.withLockedValue({ $0 }).subtracting(census.callsByPeer.keys) {
            metrics.clear("gatehouse_calls_active", ["to_peer": peer])
        }
        exportedCallPeers.withLockedValue { $0 = Set(census.callsByPeer.keys) }
        for (peer, count) in census.callsByPeer {
            metrics.set("gatehouse_calls_active", ["to_peer": peer], Double(count))
        }
        metrics.set("gatehouse_registrations_active", ["kind": "relayed"], Double(census.relayedRegistrations))
        metrics.set("gatehouse_registrations_active", ["kind": "ims"], Double(await imsRegisteredSetCount()))

        metrics.set("gatehouse_policy_generation", Double(policyInForce.snapshot.generation))
        metrics.set("gatehouse_draining", await engine.isDraining() ? 1 : 0)
        metrics.set(
            "gatehouse_build_info", ["version": GatehouseVersion.current, "node": policy.node.name], 1)
        return metrics.exposition()
    }
}

extension CallEngine {
    /// Admission control's counts and the number of blocked sources, read on the loop.
    func admissionCensus() async -> (counters: AdmissionCounters, blocked: Int) {
        (try? await loop.submit { [self] in
            (admission.counters, admission.blocklist.list(at: admissionNow).count)
        }.get()) ?? (AdmissionCounters(), 0)
    }
}
