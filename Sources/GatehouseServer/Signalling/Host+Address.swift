import GatehousePolicy
import SIPMessage

// Kept out of `extension SocketAddress`, where `IPv4Address` and `IPv6Address` name NIO's nested types.
extension Host {
    /// An address as a Via's `received` carries it.
    init(_ address: IPAddress) {
        switch address {
        case .v4(let v4): self = .ipv4(v4)
        case .v6(let v6): self = .ipv6(v6)
        }
    }

    /// The IPv4 address of these 32 bits (host order).
    init(ipv4Bits bits: UInt32) {
        self = .ipv4(IPv4Address(value: bits))
    }

    /// The IPv6 address of these 128 bits, as they are (an IPv4-mapped one stays IPv6).
    init(ipv6High high: UInt64, low: UInt64) {
        self = .ipv6(IPv6Address(high: high, low: low))
    }
}
