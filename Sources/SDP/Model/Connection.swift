/// `<nettype>`: only `IN` (Internet) is defined (RFC 8866 §5.7), but others are carried through.
public struct NetworkType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static let internet = Self(rawValue: "IN")
}

/// `<addrtype>`: `IP4` or `IP6` for `IN`; compared exactly as written.
public struct AddressType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static let ip4 = Self(rawValue: "IP4")
    public static let ip6 = Self(rawValue: "IP6")
}

/// `c=<nettype> <addrtype> <connection-address>` (RFC 8866 §5.7), also the address part of `a=rtcp` (RFC 3605).
///
/// For multicast the address carries suffixes: `IP4` has `/ttl[/count]`, `IP6` has `/count`. They are split out so
/// that rewriting `address` (what a media anchor does) leaves them alone. For other address types the whole
/// token stays in `address`. The address itself is not validated: RFC 8866 allows FQDNs, and the SBC decides.
public struct Connection: Hashable, Sendable {
    public var networkType: NetworkType
    public var addressType: AddressType
    public var address: String
    /// IPv4 multicast time-to-live.
    public var ttl: Int?
    /// Number of consecutive multicast addresses.
    public var addressCount: Int?

    public init(
        networkType: NetworkType = .internet, addressType: AddressType = .ip4, address: String,
        ttl: Int? = nil, addressCount: Int? = nil
    ) {
        self.networkType = networkType
        self.addressType = addressType
        self.address = address
        self.ttl = ttl
        self.addressCount = addressCount
    }

    /// `0.0.0.0` or `::`: the pre-RFC 3264 way to put a stream on hold (RFC 3264 §8.4 says to accept it).
    public var isUnspecifiedAddress: Bool { address == "0.0.0.0" || address == "::" }

    /// The `<connection-address>` field with its suffixes.
    public var connectionAddress: String {
        var text = address
        if let ttl { text += "/\(ttl)" }
        if let addressCount { text += "/\(addressCount)" }
        return text
    }

    var lineValue: String { "\(networkType.rawValue) \(addressType.rawValue) \(connectionAddress)" }

    init?(fields: [String]) {
        guard fields.count == 3, !fields[2].isEmpty else { return nil }
        let networkType = NetworkType(rawValue: fields[0])
        let addressType = AddressType(rawValue: fields[1])
        let parts = Lex.pieces(fields[2], at: Lex.slash)
        switch addressType {
        case .ip4 where parts.count > 1:
            guard parts.count <= 3, !parts[0].isEmpty, let ttl = Lex.int(parts[1]), ttl <= 255 else { return nil }
            var count: Int?
            if parts.count == 3 {
                guard let parsed = Lex.int(parts[2]) else { return nil }
                count = parsed
            }
            self.init(
                networkType: networkType, addressType: addressType, address: parts[0], ttl: ttl, addressCount: count)
        case .ip6 where parts.count > 1:
            guard parts.count == 2, !parts[0].isEmpty, let count = Lex.int(parts[1]) else { return nil }
            self.init(networkType: networkType, addressType: addressType, address: parts[0], addressCount: count)
        default:
            self.init(networkType: networkType, addressType: addressType, address: fields[2])
        }
    }
}
