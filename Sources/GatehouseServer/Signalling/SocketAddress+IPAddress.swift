import GatehousePolicy
import NIOCore
import SIPMessage

extension SocketAddress {
    /// The address as the policy and the border stages compare it, read from the socket address itself.
    ///
    /// NIO's `ipAddress` writes the address as text (`inet_ntop`), which every received message used to parse back;
    /// this reads the four or sixteen bytes instead. An IPv4-mapped IPv6 address (a dual-stack socket's IPv4
    /// peer) becomes the IPv4 address, as `IPAddress(parsing:)` makes it.
    var sourceIPAddress: IPAddress? {
        switch self {
        case .v4(let address):
            return IPAddress(ipv4Bits: UInt32(bigEndian: address.address.sin_addr.s_addr))
        case .v6(let address):
            let (high, low) = withUnsafeBytes(of: address.address.sin6_addr) { bytes in
                var high: UInt64 = 0
                var low: UInt64 = 0
                for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
                return (high, low)
            }
            return IPAddress(ipv6High: high, low: low)
        case .unixDomainSocket:
            return nil
        }
    }
}

extension Host {
    /// An address as a Via's `received` carries it.
    init(_ address: IPAddress) {
        switch address {
        case .v4(let v4): self = .ipv4(v4)
        case .v6(let v6): self = .ipv6(v6)
        }
    }
}
