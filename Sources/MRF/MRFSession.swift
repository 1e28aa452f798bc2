import SDP
import SIPMessage

/// One call to the MRF as a value: the MRF is the called user agent (UAS) of the dialog, answers the offer, runs the
/// resource the PSI asked for, and ends the call itself when an announcement is over.
///
/// ```
///  idle ──INVITE+offer──► answered ──ACK──► active(activity) ──end of announcement──► ending ──BYE answered──► ended
///    │  (200 + answer)       │                  │  ▲   re-INVITE: hold / resume (200 + answer)           ▲
///    └─ refused (404/486/    └─ no ACK ─────────┼──┴──────────────────────────────────────────── sendBye ┘
///       480/488) ─► ended                       └──BYE──► ended (200)
/// ```
/// Activities: an announcement (then BYE), a tone (until the caller hangs up), a conference (likewise), a menu
/// (prompt → digits → a choice: another announcement, another menu, or a transfer).
///
/// RFC 3261 §13.3.1.4: the UAS sends 200 to the INVITE and waits for the ACK; §15.1.1: either side ends the dialog
/// with BYE. RFC 3264 §8: a re-INVITE is a new offer in the same dialog (hold is an offer with `sendonly` or
/// `inactive`, §8.4).
public struct MRFSession<Call: Hashable & Sendable>: Sendable {
    public enum State: Hashable, Sendable {
        case idle
        /// 200 sent; the ACK is awaited before media starts.
        case answered(Activity)
        case active(Activity)
        /// The MRF sent BYE and awaits its answer.
        case ending
        case ended
    }

    /// What the MRF does for the call.
    public enum Activity: Hashable, Sendable {
        case announcement(String)
        case tone(MRFTone)
        case conference(String)
        /// Playing a menu's prompt, for the `attempt`th time.
        case menuPrompt(menu: String, attempt: Int)
        /// Waiting for a digit after the prompt.
        case menuCollecting(menu: String, attempt: Int)
    }

    public let call: Call
    public let configuration: MRFConfiguration
    public internal(set) var state: State = .idle
    /// The media agreed in the last offer/answer; nil before the first.
    public internal(set) var plan: MRFMediaPlan?
    let local: MRFMediaEndpoint
    let sessionID: String
    var sessionVersion: UInt64 = 0

    /// - Parameters:
    ///   - local: the relay address and port this call's media uses on Gatehouse.
    ///   - sessionID: the SDP `o=` session id (injected: the assembly's identifier generator).
    public init(call: Call, configuration: MRFConfiguration, local: MRFMediaEndpoint, sessionID: String) {
        self.call = call
        self.configuration = configuration
        self.local = local
        self.sessionID = sessionID
    }

    /// The initial INVITE for `resource`, with its SDP offer. A conference seat is taken in `rooms` here, so a full
    /// room is refused before anything else happens.
    public mutating func receiveInvite(
        for resource: MRFResource, offer: SessionDescription?, rooms: inout ConferenceRooms<Call>
    ) -> [MRFAction] {
        guard case .idle = state else {
            return [.reject(MRFError(.wrongState, status: .requestPending, "the session already has an INVITE"))]
        }
        do throws(MRFError) {
            try configuration.validate(resource)
            guard let offer else {
                throw MRFError(.offerRequired, status: .notAcceptableHere, "the INVITE carries no SDP offer")
            }
            let (plan, answer) = try negotiate(offer)
            if case .conference(let room) = resource { try rooms.join(room, call: call) }
            state = .answered(Self.firstActivity(for: resource))
            return [.answer(answer), .useMedia(plan)]
        } catch {
            state = .ended
            return [.reject(error)]
        }
    }

    /// The ACK of the 200: media starts.
    public mutating func receiveAck() -> [MRFAction] {
        guard case .answered(let activity) = state else { return [] }
        state = .active(activity)
        var actions = start(activity)
        if plan?.isHeld == true { actions.append(.pauseMedia) }
        return actions
    }

    /// The 200 was retransmitted until Timer H and no ACK came (RFC 3261 §13.3.1.4): the MRF ends the dialog.
    public mutating func ackTimedOut(rooms: inout ConferenceRooms<Call>) -> [MRFAction] {
        guard case .answered(let activity) = state else { return [] }
        state = .ending
        return [.stopMedia] + release(activity, mixing: false, rooms: &rooms) + [.sendBye]
    }

    /// The caller cancelled the INVITE before the 200 went out (the assembly sends the 200 once the call's media
    /// socket is bound, RFC 3261 §9.2): the INVITE is answered 487 and what the session held is freed.
    public mutating func receiveCancel(rooms: inout ConferenceRooms<Call>) -> [MRFAction] {
        guard case .answered(let activity) = state else { return [] }
        state = .ended
        let cancelled = MRFError(.cancelled, status: .requestTerminated, "the caller cancelled the INVITE")
        return [.reject(cancelled), .stopMedia] + release(activity, mixing: false, rooms: &rooms)
    }

    /// The caller hangs up.
    public mutating func receiveBye(rooms: inout ConferenceRooms<Call>) -> [MRFAction] {
        switch state {
        case .answered(let activity):
            state = .ended
            return [.acceptBye, .stopMedia] + release(activity, mixing: false, rooms: &rooms)
        case .active(let activity):
            state = .ended
            return [.acceptBye, .stopMedia] + release(activity, mixing: true, rooms: &rooms)
        case .ending:
            // Both sides hung up at once: answer theirs; ours will be answered or time out.
            state = .ended
            return [.acceptBye]
        case .idle, .ended:
            return [.reject(MRFError(.wrongState, status: .callDoesNotExist, "no call to end"))]
        }
    }

    /// The node ends the call itself (a drain's deadline): BYE, as when an announcement ends. Before the ACK the
    /// 200 is out already, so the dialog exists and the BYE ends it (RFC 3261 §15: the UAS may send BYE once it has
    /// its ACK or the ACK is overdue; a drain cannot wait for Timer H).
    public mutating func hangUp(rooms: inout ConferenceRooms<Call>) -> [MRFAction] {
        switch state {
        case .answered(let activity):
            state = .ending
            return [.stopMedia] + release(activity, mixing: false, rooms: &rooms) + [.sendBye]
        case .active(let activity):
            state = .ending
            return [.stopMedia] + release(activity, mixing: true, rooms: &rooms) + [.sendBye]
        case .idle, .ending, .ended:
            return []
        }
    }

    /// Frees what an activity holds beyond the call's media: a conference seat, and its place in the mix.
    func release(_ activity: Activity, mixing: Bool, rooms: inout ConferenceRooms<Call>) -> [MRFAction] {
        guard case .conference(let room) = activity else { return [] }
        rooms.leave(room, call: call)
        return mixing ? [.leaveMixer(room: room)] : []
    }

    /// Any final response to the MRF's BYE (RFC 3261 §15.1.1: the dialog is over whatever it says).
    public mutating func byeAnswered() -> [MRFAction] {
        guard case .ending = state else { return [] }
        state = .ended
        return []
    }

    /// Negotiates an offer, keeping the plan and numbering the answer's `o=` version.
    mutating func negotiate(
        _ offer: SessionDescription
    ) throws(MRFError) -> (plan: MRFMediaPlan, answer: SessionDescription) {
        let result = try MRFOfferAnswer.answer(
            offer, from: local, sessionID: sessionID, sessionVersion: sessionVersion)
        sessionVersion += 1
        plan = result.plan
        return result
    }

    static func firstActivity(for resource: MRFResource) -> Activity {
        switch resource {
        case .announcement(let name): .announcement(name)
        case .tone(let tone): .tone(tone)
        case .conference(let room): .conference(room)
        case .menu(let name): .menuPrompt(menu: name, attempt: 1)
        }
    }

    /// The media actions that begin an activity.
    func start(_ activity: Activity) -> [MRFAction] {
        switch activity {
        case .announcement(let name): [.play(announcement: name)]
        case .tone(let tone): [.playTone(tone)]
        case .conference(let room): [.joinMixer(room: room)]
        case .menuPrompt(let menu, _): [.play(announcement: configuration.menus[menu]?.prompt ?? menu)]
        case .menuCollecting(let menu, _): [.collectDigits(timeout: configuration.menus[menu]?.timeout ?? .seconds(5))]
        }
    }
}
