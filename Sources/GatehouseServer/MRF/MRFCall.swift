import Foundation
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
    /// The node's call number, from the same sequence as the B2BUA's calls (`gatehouse calls`, the CDR's `call`).
    let id: Int
    /// The PSI the caller reached (the CDR's callee).
    let psi: URI
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
    /// The charging identifier and the caller as the CDR records them (`CallEngine+MRFCallRecords`).
    let icid: String
    let callerParty: String
    /// The peer the caller's address belongs to in its realm (nil for a handset or an address no peer owns).
    let callerPeer: String?
    let setupTime = Date()
    var answerTime: Date?
    /// Who ended the call and how, noted where the end is decided (a BYE, a CANCEL, a refusal, the MRF's BYE);
    /// the first noted stands, since what follows an end (the MRF's BYE answered) is not its cause.
    var disconnect: CallDetailRecord.Disconnect?
    /// What the call's media sent and received, known once its stream or seat is closed.
    var mediaCounters: EventLoopFuture<MRFMediaCounters>?

    var route: LegRoute { .towardCaller(context) }

    /// How long the call has lasted, for its log line.
    var duration: Duration {
        .nanoseconds((NIODeadline.now() - (answeredAt ?? startedAt)).nanoseconds)
    }

    /// Notes how the call ends, unless its end was noted already.
    mutating func noteEnd(status: Int, reason: String, side: CallDetailRecord.Side) {
        if disconnect == nil { disconnect = CallDetailRecord.Disconnect(status: status, reason: reason, side: side) }
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
