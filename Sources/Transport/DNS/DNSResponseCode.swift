/// The RCODE of a response header (RFC 1035 §4.1.1), four bits; extended codes of EDNS are not combined in.
public struct DNSResponseCode: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// No error.
    public static let noError = Self(rawValue: 0)
    /// The server could not interpret the query.
    public static let formatError = Self(rawValue: 1)
    /// The server failed (often: it could not reach the authoritative servers).
    public static let serverFailure = Self(rawValue: 2)
    /// The name does not exist (NXDOMAIN); meaningful only from an authoritative source or a recursive resolver.
    public static let nameError = Self(rawValue: 3)
    /// The server does not support this kind of query.
    public static let notImplemented = Self(rawValue: 4)
    /// The server refuses to answer (policy, or a name outside what it serves).
    public static let refused = Self(rawValue: 5)

    public var description: String {
        switch self {
        case .noError: "NOERROR"
        case .formatError: "FORMERR"
        case .serverFailure: "SERVFAIL"
        case .nameError: "NXDOMAIN"
        case .notImplemented: "NOTIMP"
        case .refused: "REFUSED"
        default: "RCODE\(rawValue)"
        }
    }
}
