import Foundation
import GatehousePolicy
import Media
import PCF
import SDP
import SIPMessage
import SIPStack

/// Policy control on every session: each offer and answer crossing a call is paired (`SessionNegotiation`) and
/// judged by the PCF (`PolicyController`) for both legs. An offer over its allowance is refused 488 (the INVITE,
/// re-INVITE or UPDATE that carried it); an answer over it ends the call 488; an admitted decision marks the
/// relayed packets of each leg with its DSCP and is kept for `gatehouse calls` and the CDR.
extension CallEngine {
    /// Starts the accounting of a call being routed: called once, before its INVITE's offer is judged.
    func beginAccounting(
        legs: CallLegs, outgoing: SIPMessage, inboundRealm: String, outboundRealm: String, caller: Peer?,
        callee: Peer?, imsSession: IMSSessionLeg? = nil
    ) {
        let inboundInvite = legs.inbound.initialInvite
        // An IMS session's legs share the ICID the core made at the first hop, and its parties are the identities
        // the core established rather than the addresses of this leg.
        let icid =
            imsSession?.chargingVector?.icidValue
            ?? (try? inboundInvite.headers.first(.pChargingVector, as: PChargingVector.self))?.icidValue
            ?? Self.makeICID()
        let callerParty = imsSession?.caller?.description ?? ((try? outgoing.from)?.uri.description) ?? ""
        let calleeParty = imsSession?.callee?.description ?? ((try? outgoing.requestURI)?.description) ?? ""
        accounting[legs.inbound.callID] = CallAccounting(
            icid: icid, setupTime: Date(), callerParty: callerParty, calleeParty: calleeParty,
            callerContext: PolicyControlContext(realm: inboundRealm, peer: caller?.name, party: callerParty),
            calleeContext: PolicyControlContext(realm: outboundRealm, peer: callee?.name, party: calleeParty))
    }

    /// Judges the session description `message` carries (sent by `side`'s far end) and applies the decision;
    /// notes the answer time of the call's first 2xx. Throws when the PCF refuses the session.
    func controlPolicy(
        for message: SIPMessage, from side: CallLegs.Side, session: MediaSession?, legs: CallLegs
    ) throws(MediaAnchorError) {
        let key = legs.inbound.callID
        guard var record = accounting[key] else { return }
        var isKept = true
        defer { if isKept { accounting[key] = record } }
        if let code = message.statusCode, (200...299).contains(code), record.answerTime == nil,
            (try? message.cseq.method) == .invite
        {
            record.answerTime = Date()
        }
        guard !message.body.isEmpty,
            let type = try? message.headers.first(.contentType, as: ContentType.self), type.isSDP,
            let description = try? SessionDescription(parsing: message.body)
        else { return }
        let isOffering = message.method == .invite || message.method == .update
        let role = record.negotiation.receive(
            description, from: side == .inbound ? .caller : .callee, isOffering: isOffering)
        let controller = PolicyController(policy.policyControl)
        let (offer, answer): (SessionDescription, SessionDescription?) =
            switch role {
            case .offer(let offer): (offer, nil)
            case .answer(let offer, let answer): (offer, answer)
            }
        let decision = SessionPolicyDecision(
            caller: controller.decide(offer: offer, answer: answer, context: record.callerContext),
            callee: controller.decide(offer: offer, answer: answer, context: record.calleeContext))
        record.decision = decision
        if answer != nil, let flows = decision.caller?.flows {
            record.codecs = flows.map { "\($0.flow.media) \($0.flow.codec ?? "-")" }
        }
        for leg in [decision.caller, decision.callee] {
            guard let leg, case .reject(let status, let reason) = leg.verdict else { continue }
            logger.notice(
                "policy control refuses the session",
                metadata: ["icid": "\(record.icid)", "reason": "\(reason)"])
            // A refused answer ends the call, whose CDR then shows the refusal. A refused offer leaves no trace: the
            // call keeps its session and the decision it had, and the caller's first INVITE, refused before it
            // becomes a call, takes its accounting with it.
            isKept = answer != nil && callIndex.call(inboundCallID: key) != nil
            if callIndex.call(inboundCallID: key) == nil { accounting[key] = nil }
            throw MediaAnchorError(.refusedByPolicyControl, status: status, detail: reason)
        }
        guard let session else { return }
        for (mediaLeg, legDecision) in [(MediaLeg.inbound, decision.caller), (.outbound, decision.callee)] {
            for flow in legDecision?.flows ?? [] {
                session.markDSCP(UInt8(clamping: flow.dscp), stream: flow.flow.index, leg: mediaLeg)
            }
        }
    }

    /// A fresh charging identifier: 128 random bits in hex.
    static func makeICID() -> String {
        (0..<2).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.map {
            String(repeating: "0", count: 16 - $0.count) + $0
        }.joined()
    }
}
