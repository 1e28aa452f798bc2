/// The TYPE of a resource record or the QTYPE of a question (RFC 1035 §3.2.2, §3.2.3).
///
/// An open struct with the types Gatehouse uses as static lets: any 16-bit value can be carried (records of other
/// types are kept as raw bytes), and adding a type never breaks a caller's `switch`.
public struct DNSRecordType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// An IPv4 address (RFC 1035 §3.4.1).
    public static let a = Self(rawValue: 1)
    /// An authoritative name server (RFC 1035 §3.3.11).
    public static let ns = Self(rawValue: 2)
    /// The canonical name of an alias (RFC 1035 §3.3.1).
    public static let cname = Self(rawValue: 5)
    /// The start of a zone of authority; its MINIMUM bounds negative caching (RFC 1035 §3.3.13, RFC 2308 §4).
    public static let soa = Self(rawValue: 6)
    /// A domain name pointer (RFC 1035 §3.3.12).
    public static let ptr = Self(rawValue: 12)
    /// Mail exchange (RFC 1035 §3.3.9).
    public static let mx = Self(rawValue: 15)
    /// Text strings (RFC 1035 §3.3.14).
    public static let txt = Self(rawValue: 16)
    /// An IPv6 address (RFC 3596 §2.1).
    public static let aaaa = Self(rawValue: 28)
    /// A service location: priority, weight, port, target (RFC 2782).
    public static let srv = Self(rawValue: 33)
    /// A naming authority pointer, the first step of RFC 3263 and of ENUM (RFC 3403 §4).
    public static let naptr = Self(rawValue: 35)
    /// The EDNS(0) pseudo-record in the additional section (RFC 6891 §6.1).
    public static let opt = Self(rawValue: 41)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .srv: "SRV"
        case .naptr: "NAPTR"
        case .opt: "OPT"
        default: "TYPE\(rawValue)"
        }
    }
}

/// The CLASS of a resource record or the QCLASS of a question (RFC 1035 §3.2.4). Gatehouse only asks for `IN`;
/// other values are carried as they came (an OPT record uses the field for its UDP payload size).
public struct DNSClass: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The Internet.
    public static let `in` = Self(rawValue: 1)

    public var description: String { self == .in ? "IN" : "CLASS\(rawValue)" }
}
