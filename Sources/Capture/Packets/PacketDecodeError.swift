/// Why a packet was not decoded down to a SIP payload. Counted per code in `CaptureStatistics`; never fatal: a
/// capture of an attack is full of packets like these.
public struct PacketDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public var code: Code
    public var detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code): \(detail)" }
}

extension PacketDecodeError.Code {
    /// The link type is not one Gatehouse reads.
    public static let unsupportedLinkType = Self(rawValue: "unsupported-link-type")
    /// Not IPv4 or IPv6 (ARP, LLDP…).
    public static let notIP = Self(rawValue: "not-ip")
    /// Shorter than its headers say: cut by the snap length, or malformed.
    public static let truncated = Self(rawValue: "truncated")
    /// A header field that cannot be right (a version, a header length).
    public static let malformed = Self(rawValue: "malformed")
    /// Neither UDP nor TCP.
    public static let notUDPOrTCP = Self(rawValue: "not-udp-or-tcp")
}
