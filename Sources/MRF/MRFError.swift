import SIPMessage

/// Why the MRF refuses a call or a request within it, with the SIP answer (STYLE rule 4: codes as static lets, one
/// place that maps a refusal to its status).
public struct MRFError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The user part names no MRF resource (`announce=`, `conf=`, `tone=`, `menu=`).
        public static let unknownResource = Code(rawValue: "unknown-resource")
        /// `announce=NAME` for a name the routing policy does not list.
        public static let unknownAnnouncement = Code(rawValue: "unknown-announcement")
        /// `menu=NAME` for a name the routing policy does not list.
        public static let unknownMenu = Code(rawValue: "unknown-menu")
        /// `tone=NAME` for a tone other than ringback, busy, congestion.
        public static let unknownTone = Code(rawValue: "unknown-tone")
        /// The INVITE carries no SDP offer (the MRF answers offers; it does not make them).
        public static let offerRequired = Code(rawValue: "offer-required")
        /// The offer has no RTP/AVP audio stream with PCMU or PCMA.
        public static let noAcceptableCodec = Code(rawValue: "no-acceptable-codec")
        /// The conference room already holds its maximum of participants.
        public static let roomFull = Code(rawValue: "room-full")
        /// The node already runs its maximum of conference rooms.
        public static let tooManyRooms = Code(rawValue: "too-many-rooms")
        /// The node cannot give the call media: its realm has no `media:` section, no port is free, or the port
        /// cannot be bound (503).
        public static let noMedia = Code(rawValue: "no-media")
        /// The caller cancelled the INVITE before the MRF answered it (487).
        public static let cancelled = Code(rawValue: "cancelled")
        /// A request the session cannot take in its state (a re-INVITE before the ACK, a BYE after the end).
        public static let wrongState = Code(rawValue: "wrong-state")
    }

    public var code: Code
    public var status: SIPStatus
    public var detail: String

    public init(_ code: Code, status: SIPStatus, _ detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }

    public var description: String { "\(code) (\(status.code)): \(detail)" }

    /// RFC 3261 §21.4.24; not among `SIPStatus`'s names.
    static let busyHere = SIPStatus(486, "Busy Here")
}
