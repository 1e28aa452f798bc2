import SIPMessage

/// An IPv4 or IPv6 address, as a peer's packets arrive from and as a policy names them.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    /// Parses `192.0.2.1`, `2001:db8::1` or `[2001:db8::1]`. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, as a
    /// dual-stack socket reports IPv4 peers) becomes the IPv4 address, so that IPv4 prefixes match it.
    public init?(parsing text: String) {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let v4 = try? IPv4Address(parsing: String(text)) {
            self = .v4(v4)
        } else if let v6 = try? IPv6Address(parsing: String(text)) {
            self = v6.isIPv4Mapped ? .v4(IPv4Address(value: UInt32(truncatingIfNeeded: v6.low))) : .v6(v6)
        } else {
            return nil
        }
    }

    /// 32 for IPv4, 128 for IPv6.
    public var bitWidth: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    public var description: String {
        switch self {
        case .v4(let address): address.description
        case .v6(let address): address.description
        }
    }
}

/// An address block in CIDR notation (`127.0.0.2/32`, `2001:db8::/64`); a bare address is a block of one.
public struct IPPrefix: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (its host bits are zero).
    public var network: IPAddress
    /// How many leading bits identify the block: 0–32 for IPv4, 0–128 for IPv6.
    public var length: Int

    /// A block; nil if `length` does not fit the family or `network` has bits set beyond `length`.
    public init?(network: IPAddress, length: Int) {
        guard (0...network.bitWidth).contains(length), Self.masked(network, to: length) == network else { return nil }
        self.network = network
        self.length = length
    }

    /// The block of exactly one address.
    public init(address: IPAddress) {
        self.network = address
        self.length = address.bitWidth
    }

    /// Whether `address` is inside the block. IPv4 blocks never hold IPv6 addresses, nor the other way round
    /// (IPv4-mapped IPv6 addresses are IPv4 addresses once parsed by `IPAddress(parsing:)`).
    public func contains(_ address: IPAddress) -> Bool {
        switch (network, address) {
        case (.v4, .v4), (.v6, .v6): Self.masked(address, to: length) == network
        default: false
        }
    }

    /// Whether the block is a single address (`/32`, `/128`).
    public var isSingleAddress: Bool { length == network.bitWidth }

    /// `127.0.0.2/32`, `2001:db8::/64`.
    public var description: String { "\(network)/\(length)" }

    /// `address` with every bit after the first `length` cleared.
    static func masked(_ address: IPAddress, to length: Int) -> IPAddress {
        switch address {
        case .v4(let v4):
            let mask: UInt32 = length == 0 ? 0 : ~0 << UInt32(32 - length)
            return .v4(IPv4Address(value: v4.value & mask))
        case .v6(let v6):
            let highBits = min(length, 64)
            let lowBits = max(length - 64, 0)
            let highMask: UInt64 = highBits == 0 ? 0 : ~0 << UInt64(64 - highBits)
            let lowMask: UInt64 = lowBits == 0 ? 0 : ~0 << UInt64(64 - lowBits)
            return .v6(IPv6Address(high: v6.high & highMask, low: v6.low & lowMask))
        }
    }
}

extension IPAddress {
    /// The address of a socket peer, with an IPv4-mapped IPv6 address turned into its IPv4 address, so that one
    /// host has one key whichever socket it reached.
    public init(_ address: IPv6Address) {
        self = address.isIPv4Mapped ? .v4(IPv4Address(value: UInt32(truncatingIfNeeded: address.low))) : .v6(address)
    }

    public init(_ address: IPv4Address) {
        self = .v4(address)
    }
}

extension IPPrefix {
    /// Parses `198.51.100.0/24`, `2001:db8::/32` or a bare address (a block of one); nil for anything else,
    /// including a block with host bits set.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parsing: String(parts[0])) else { return nil }
        guard parts.count == 2 else {
            self.init(address: address)
            return
        }
        guard let length = Int(parts[1]) else { return nil }
        self.init(network: address, length: length)
    }
}
