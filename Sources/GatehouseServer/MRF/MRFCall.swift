import MRF
import Media
import NIOCore
import SIPMessage
import SIPStack
import Transport

/// One call the MRF answers inside the node: Gatehouse is the called user agent (UAS) of the caller's dialog, with
/// no second leg. The `MRFSession` decides; this holds what the engine needs to carry its decisions out: the
/// dialog, the INVITE's server transaction, where the caller is, the media port and what plays on it.
struct MRFCall {
    /// The media the call has on the node.
    enum Media {
        /// Nothing bound yet (or any more).
        case none
        /// Announcements, tones and menus: one socket, one playout.
        case stream(MRFMediaStream)
        /// A conference participant: a seat in the room's bridge.
        case conference(room: String)
    }

    /// The caller's Call-ID: the call's key (the MRF's dialogs have one leg, so it is unique on the node).
    let callID: String
    let resource: MRFResource
    var session: MRFSession<String>
    /// The announcements and tones of the policy the call started under (a reload does not change a playing call).
    let resources: MRFResources
    let invite: SIPMessage
    let serverKey: TransactionKey
    /// Where the caller's INVITE came in: responses and the MRF's BYE go back this way.
    let context: SIPConnectionContext
    /// The realm's media address and pool the port came from.
    let realm: MediaRealmConfiguration
    let port: UInt16
    /// Gatehouse's To tag on the dialog.
    let localTag: String
    /// The dialog, from the 200 on.
    var dialog: Dialog?
    /// The 200, retransmitted until the ACK (RFC 3261 §13.3.1.4).
    var answer: SIPMessage?
    var media: Media = .none
    /// The media port is being bound (`MRFMediaStream.open`, `MRFConferenceBridge.add`).
    var isBinding = false
    /// The 200's retransmission and the ACK's deadline (Timer H's 64·T1).
    var retransmission: Scheduled<Void>?
    var ackDeadline: Scheduled<Void>?
    let startedAt = NIODeadline.now()
    var answeredAt: NIODeadline?

    var route: LegRoute { .towardCaller(context) }

    /// How long the call has lasted, for its log line.
    var duration: Duration {
        .nanoseconds((NIODeadline.now() - (answeredAt ?? startedAt)).nanoseconds)
    }

    /// Stops the timers that answer for the 200.
    mutating func stopAnswerTimers() {
        retransmission?.cancel()
        retransmission = nil
        ackDeadline?.cancel()
        ackDeadline = nil
    }
}

/// The MRF's part of the engine's state (loop-confined, like the rest of it): the calls by Call-ID, the rooms'
/// seats and bridges, the BYEs the MRF sent, and the resources of the policy in force.
struct MRFCalls {
    var calls: [String: MRFCall] = [:]
    /// Refused INVITEs hearing their refusal in early media, by Call-ID.
    var early: [String: MRFEarlyCall] = [:]
    var rooms = ConferenceRooms<String>()
    var bridges: [String: MRFConferenceBridge<String>] = [:]
    /// The MRF's own requests in flight (BYE, REFER) → the Call-ID and method.
    var requests: [TransactionKey: (callID: String, method: SIPMethod)] = [:]
    /// What the policy in force has (announcements read, menus, tone family); nil without `mrf:`.
    var resources: MRFResources?
}
