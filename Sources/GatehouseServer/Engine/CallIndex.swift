import SIPMessage
import SIPStack

/// The calls by the dialogs Gatehouse keeps on their legs.
///
/// A Call-ID alone does not name a leg: an application server on the IMS path that acts as a proxy, or as a B2BUA
/// that keeps the Call-ID (TS 24.229 §5.7.5), sends Gatehouse's own INVITE back with the Call-ID of the leg toward
/// it, so one Call-ID belongs to two calls — the outbound leg of the call toward the AS and the inbound leg of the
/// call it resumes. Gatehouse's tag on the leg tells them apart: every request it receives inside a dialog carries
/// that tag in To (RFC 3261 §12.2.1.1), whichever leg it is on.
struct CallIndex {
    /// A leg of a call as requests reach it.
    struct Leg: Hashable {
        let callID: String
        /// Gatehouse's tag on the leg: the To tag of what it receives there.
        let localTag: String
    }

    private var byLeg: [Leg: (call: Int, side: CallLegs.Side)] = [:]
    /// Inbound legs by Call-ID: a CANCEL has no To tag, and the caller's CANCEL only ever concerns the inbound leg.
    private var byInboundCallID: [String: Int] = [:]

    mutating func insert(_ legs: CallLegs, call id: Int) {
        byLeg[Leg(callID: legs.inbound.callID, localTag: legs.inbound.localTag)] = (id, .inbound)
        byLeg[Leg(callID: legs.outbound.callID, localTag: legs.outbound.localTag)] = (id, .outbound)
        byInboundCallID[legs.inbound.callID] = id
    }

    /// Forgets the call's legs (only those still naming this call).
    mutating func remove(_ legs: CallLegs, call id: Int) {
        for leg in [
            Leg(callID: legs.inbound.callID, localTag: legs.inbound.localTag),
            Leg(callID: legs.outbound.callID, localTag: legs.outbound.localTag),
        ] where byLeg[leg]?.call == id {
            byLeg[leg] = nil
        }
        if byInboundCallID[legs.inbound.callID] == id { byInboundCallID[legs.inbound.callID] = nil }
    }

    /// The call and leg a request inside a dialog (To tagged) belongs to.
    func call(of request: SIPMessage) -> (call: Int, side: CallLegs.Side)? {
        guard let callID = try? request.callID.value, let tag = (try? request.to.tag) ?? nil else { return nil }
        return byLeg[Leg(callID: callID, localTag: tag)]
    }

    /// The call whose inbound leg (the caller's) has this Call-ID.
    func call(inboundCallID callID: String) -> Int? { byInboundCallID[callID] }
}
