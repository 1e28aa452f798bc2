import Border
import MRF
import Media
import SIPMessage
import SIPStack
import Transport

/// A refused INVITE whose refusal is told in early media (`MRFEarlyAnnouncement`): the INVITE's server transaction,
/// the port the announcement plays from and the stream once bound. There is no dialog: the call is never answered.
struct MRFEarlyCall {
    let callID: String
    var announcement: MRFEarlyAnnouncement
    let audio: WAVAudio
    let invite: SIPMessage
    let serverKey: TransactionKey
    /// The 183 with the SDP answer, sent once the port is bound.
    var progress: SIPMessage?
    /// Headers the refusal carries (an ingress stage's Retry-After or Warning).
    let extraHeaders: [IngressRejection.ExtraHeader]
    /// Whether the final refusal is still to be recorded in the node's activity (an ingress refusal was already).
    let recordsRefusal: Bool
    let realm: MediaRealmConfiguration
    let port: UInt16
    var stream: MRFMediaStream?
    /// The port is being bound (`MRFMediaStream.open`): its completion releases it if the call ended meanwhile.
    var isBinding = false
    /// The stream is being closed: the close gives the port back.
    var isClosing = false
}
