import Border
import Foundation
import NIOCore
import SIPMessage
import Transport

/// What the engine tells operators (the admin API, `/metrics`, the status page): its calls, the registrations it
/// relays, the latest refusals, and a one-second history. Each query hops onto the loop and copies what it needs.
extension CallEngine {
    /// Calls in progress, the MRF's among them, oldest first.
    func callSummaries() async -> [CallSummary] {
        (try? await loop.submit { [self] in currentCallSummaries() }.get()) ?? []
    }

    /// `callSummaries()` on the loop.
    func currentCallSummaries() -> [CallSummary] {
        loop.preconditionInEventLoop()
        return (calls.values.map(summary) + mrf.calls.values.map(summary)).sorted { $0.id < $1.id }
    }

    /// The registrations relayed through the node (its NAT bindings), by address of record.
    func relayedRegistrations() async -> [RelayedRegistrationSummary] {
        (try? await loop.submit { [self] in
            let now = registrationNow
            return registrations.bindings.values.sorted { $0.addressOfRecord < $1.addressOfRecord }.map { binding in
                RelayedRegistrationSummary(
                    addressOfRecord: binding.addressOfRecord, contact: binding.contact.description,
                    realm: binding.realm, flow: "\(binding.flow)", nat: "\(binding.nat)",
                    confirmed: binding.isConfirmed,
                    expiresInSeconds: binding.expiresAt.map { max(0, Int(($0 - now).components.seconds)) })
            }
        }.get()) ?? []
    }

    /// Calls in progress by the peer each goes to, and the count of confirmed relayed registrations.
    func census() async -> (callsByPeer: [String: Int], relayedRegistrations: Int) {
        (try? await loop.submit { [self] in
            var byPeer: [String: Int] = [:]
            for call in calls.values { byPeer[call.destinationPeerName, default: 0] += 1 }
            return (byPeer, registrations.bindings.values.filter(\.isConfirmed).count)
        }.get()) ?? ([:], 0)
    }

    func summary(of call: Call) -> CallSummary {
        let now = NIODeadline.now()
        return CallSummary(
            id: call.id, state: call.isAnswered ? "answered" : "setup",
            caller: ((try? call.inboundInvite.from)?.uri.description) ?? "",
            callee: ((try? call.inboundInvite.requestURI)?.description) ?? "",
            fromRealm: realms[call.inboundContext.listener] ?? "?", fromPeer: call.sourcePeerName,
            fromAddress: "\(call.inboundContext.remote)",
            toRealm: realms[call.outboundLocal] ?? "?", toPeer: call.destinationPeerName,
            toAddress: "\(call.outboundDestination)",
            route: "\(call.reason)",
            durationSeconds: Double((now - call.startedAt).nanoseconds) / 1e9,
            icid: accounting[call.legs.inbound.callID]?.icid,
            policyControl: accounting[call.legs.inbound.callID]?.decision)
    }

    /// A refusal, for the status page's list.
    func recordRefusal(
        _ request: SIPMessage, context: SIPConnectionContext, status: Int, reason: String, detail: String
    ) {
        activity.record(
            NodeActivity.Refusal(
                time: Date().timeIntervalSince1970, source: "\(context.remote)",
                realm: realms[context.listener] ?? "?", method: request.method?.rawValue ?? "?", status: status,
                reason: reason, detail: detail))
    }

    /// One second of history: calls routed since the last sample, calls up now (run by the admission sweep).
    func sampleActivity() {
        activity.record(
            NodeActivity.Sample(
                time: Date().timeIntervalSince1970, callsStarted: callsStarted - callsStartedAtLastSample,
                activeCalls: calls.count + mrf.calls.count))
        callsStartedAtLastSample = callsStarted
    }
}

/// A call as the admin API lists it.
public struct CallSummary: Sendable, Codable, Equatable {
    public var id: Int
    /// `setup` until the callee answers, then `answered`.
    public var state: String
    /// The caller's From URI and the Request-URI it dialled, as received.
    public var caller: String
    public var callee: String
    public var fromRealm: String
    public var fromPeer: String
    public var fromAddress: String
    public var toRealm: String
    public var toPeer: String
    public var toAddress: String
    /// Why the call went where it went.
    public var route: String
    public var durationSeconds: Double
    /// The call's IMS Charging Identifier, as its CDR will have it.
    public var icid: String?
    /// Policy control's latest decision for each leg (`CallEngine+PolicyControl`).
    public var policyControl: SessionPolicyDecision?
    /// `mrf` for a call the node's MRF answers (its callee is the PSI); absent for a call through the B2BUA.
    public var kind: String? = nil
}

/// A registration relayed through the node, with its NAT binding.
public struct RelayedRegistrationSummary: Sendable, Codable, Equatable {
    public var addressOfRecord: String
    public var contact: String
    public var realm: String
    public var flow: String
    public var nat: String
    /// The registrar accepted it (a 2xx came back).
    public var confirmed: Bool
    public var expiresInSeconds: Int?
}
