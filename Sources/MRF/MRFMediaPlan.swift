import SDP

/// The MRF's codecs: G.711 only, as the issue sets (the Media module's `G711Law` has one case for each).
public enum MRFCodec: String, Hashable, Sendable, CaseIterable {
    case pcmu = "PCMU"
    case pcma = "PCMA"

    /// The static payload type (RFC 3551 §6).
    public var staticPayloadType: UInt8 { self == .pcmu ? 0 : 8 }
}

/// Where the MRF's media for one call is sent from and to, and how, as agreed in offer/answer.
public struct MRFMediaPlan: Hashable, Sendable {
    public var codec: MRFCodec
    /// The payload type the offer used for the codec (the static one, unless the offerer mapped another).
    public var payloadType: UInt8
    /// The offer's `telephone-event/8000` payload type; nil when the caller cannot send RFC 4733 DTMF.
    public var telephoneEventPayloadType: UInt8?
    /// The caller's RTP address and port from the offer.
    public var remoteAddress: String
    public var remotePort: UInt16
    /// The direction the MRF answered: `sendrecv` normally, `recvonly` or `inactive` while the caller holds.
    public var direction: Direction

    public init(
        codec: MRFCodec, payloadType: UInt8, telephoneEventPayloadType: UInt8?, remoteAddress: String,
        remotePort: UInt16, direction: Direction
    ) {
        self.codec = codec
        self.payloadType = payloadType
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.direction = direction
    }

    /// True while the caller has put the MRF on hold: nothing is to be sent.
    public var isHeld: Bool { !direction.sends }
}

/// The MRF's side of the media: the address and port (on Gatehouse's relay) it sends from and receives on.
public struct MRFMediaEndpoint: Hashable, Sendable {
    public var address: String
    public var port: UInt16
    public var addressType: AddressType

    public init(address: String, port: UInt16, addressType: AddressType = .ip4) {
        self.address = address
        self.port = port
        self.addressType = addressType
    }
}
