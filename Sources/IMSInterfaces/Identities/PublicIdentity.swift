import SIPMessage

/// A public user identity (IMPU) or public service identity (PSI): a SIP URI or a tel URI by which a subscriber
/// is reached (3GPP TS 23.003 §13.4).
///
/// Kept in a canonical text form so that the identity a REGISTER names and the one provisioned compare equal:
/// `sip:user@host` (scheme and host in lower case, no port, parameters or headers) or `tel:+number` (visual
/// separators removed, parameters dropped).
public struct PublicIdentity: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let value: String

    /// The canonical identity of a URI; nil for URIs that cannot name a subscriber (other schemes, a SIP URI
    /// without a user part when `requireUser` is set).
    public init?(_ uri: URI, requireUser: Bool = false) {
        switch uri {
        case .sip(let sip):
            if requireUser && (sip.user ?? "").isEmpty { return nil }
            let host = sip.host.description.lowercased()
            value = "\(sip.scheme):" + (sip.user.map { "\($0)@" } ?? "") + host
        case .tel(let tel):
            // `digitsOnly` keeps the leading `+` of a global number.
            value = "tel:" + tel.digitsOnly
        case .other:
            return nil
        }
    }

    /// Parses a provisioned identity such as `sip:alice@ims.example.net` or `tel:+15550100001`.
    public init?(parsing text: String) {
        guard let uri = try? URI(parsing: text) else { return nil }
        self.init(uri)
    }

    /// The identity as a URI again (always parses: it came from one).
    public var uri: URI? { try? URI(parsing: value) }

    /// True for a tel URI.
    public var isTel: Bool { value.hasPrefix("tel:") }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
