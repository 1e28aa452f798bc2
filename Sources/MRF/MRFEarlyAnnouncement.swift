import SDP
import SIPMessage

/// A refusal told in early media, the way carriers' SBCs do it: the INVITE that the routing refuses (no route, a
/// number ENUM or the IMS core cannot reach) is answered `183 Session Progress` with the MRF's SDP answer, the
/// announcement plays once, and then the refusal's own final status goes out. The call is never answered (no 200),
/// so nothing is billed and the caller's phone shows the refusal as it would have without the announcement.
///
/// ```
///  idle ──INVITE+offer──► progressing ──media bound──► playing ──end of announcement──► ended (final status)
///    │  (183 + answer)        │                           │
///    └─ no/unusable offer     ├─ CANCEL ─► ended (487)    ├─ CANCEL ─► ended (487)
///       ─► ended (status)     └─ bind failed ─► ended (status)
/// ```
///
/// RFC 3261 §13.3.1.1: a UAS may send provisional responses before its final one; RFC 3960 §3: the early media of a
/// 183 with an SDP answer is what the caller hears until the final response. RFC 3261 §9.2: CANCEL before the final
/// response is answered 200 and the INVITE 487. Without an offer (RFC 3261 §13.2.1 would need the answer's SDP in a
/// reliable provisional response, RFC 3262, to take the offer from the caller) the refusal goes out plain.
public struct MRFEarlyAnnouncement: Sendable {
    public enum State: Hashable, Sendable {
        case idle
        /// The 183 is about to go; the media port is being bound.
        case progressing
        /// The announcement is playing in early media.
        case playing
        /// The final response went out.
        case ended
    }

    /// What the owner does: SIP on the INVITE's server transaction, media on the port the refusal was given.
    public enum Action: Hashable, Sendable {
        /// Send `183 Session Progress` with this SDP answer (once the media is bound, so no early packet is lost).
        case sessionProgress(SessionDescription)
        /// Bind the media port and send to the caller as agreed.
        case useMedia(MRFMediaPlan)
        /// Play the announcement once; report `announcementFinished()` at its end.
        case play(announcement: String)
        /// Stop sending and release the port.
        case stopMedia
        /// Answer the INVITE with this final status and reason.
        case refuse(SIPStatus, reason: String)
    }

    /// The refusal the routing decided; it goes out whatever happens to the announcement.
    public let refusal: SIPStatus
    public let reason: String
    public let announcement: String
    public private(set) var state: State = .idle
    let local: MRFMediaEndpoint
    let sessionID: String

    /// - Parameters:
    ///   - refusal: the final status the routing decided (e.g. 404); `reason` its reason phrase.
    ///   - announcement: the name the policy maps that status to.
    ///   - local: the relay address and port the announcement is played from.
    ///   - sessionID: the SDP `o=` session id (injected: the assembly's identifier generator).
    public init(
        refusal: SIPStatus, reason: String, announcement: String, local: MRFMediaEndpoint, sessionID: String
    ) {
        self.refusal = refusal
        self.reason = reason
        self.announcement = announcement
        self.local = local
        self.sessionID = sessionID
    }

    /// The refused INVITE's offer: early media when the MRF can take it, the plain refusal otherwise.
    public mutating func receiveInvite(offer: SessionDescription?) -> [Action] {
        guard case .idle = state else { return [] }
        guard let offer,
            let (plan, answer) = try? MRFOfferAnswer.answer(
                offer, from: local, sessionID: sessionID, sessionVersion: 0),
            !plan.isHeld
        else {
            state = .ended
            return [.refuse(refusal, reason: reason)]
        }
        state = .progressing
        return [.useMedia(plan), .sessionProgress(answer)]
    }

    /// The media port is bound: the 183 has gone, the announcement starts.
    public mutating func mediaReady() -> [Action] {
        guard case .progressing = state else { return [] }
        state = .playing
        return [.play(announcement: announcement)]
    }

    /// The media port could not be bound: the caller gets the refusal without the announcement.
    public mutating func mediaFailed() -> [Action] {
        guard case .progressing = state else { return [] }
        state = .ended
        return [.stopMedia, .refuse(refusal, reason: reason)]
    }

    /// The announcement played to its end: the refusal goes out.
    public mutating func announcementFinished() -> [Action] {
        guard case .playing = state else { return [] }
        state = .ended
        return [.stopMedia, .refuse(refusal, reason: reason)]
    }

    /// The caller gave up listening (RFC 3261 §9.2): 487 instead of the refusal.
    public mutating func receiveCancel() -> [Action] {
        switch state {
        case .progressing, .playing:
            state = .ended
            return [.stopMedia, .refuse(.requestTerminated, reason: "the caller cancelled the INVITE")]
        case .idle, .ended:
            return []
        }
    }
}
