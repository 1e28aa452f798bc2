import GatehousePolicy
import NIOCore
import SIPMessage

/// The sender of a datagram or connection as the border reads it, straight from the socket address's bytes: NIO's
/// `ipAddress` writes the address as text (`inet_ntop`), which every received message used to parse back.
extension SocketAddress {
    /// The address as the policy and the border stages compare it: `sourceHost`, with an IPv4-mapped IPv6 address
    /// (a dual-stack socket's IPv4 peer) taken as the IPv4 address, as `IPAddress(parsing:)` takes it, so IPv4
    /// prefixes match it.
    var sourceIPAddress: IPAddress? {
        switch sourceHost {
        case .ipv4(let address)?: IPAddress(address)
        case .ipv6(let address)?: IPAddress(address)
        case .name?, nil: nil
        }
    }

    /// The address as a Via's `received` carries it: in the socket's own family (an IPv4-mapped address stays
    /// IPv6), so that a response sent there leaves through the socket the request came in on.
    var sourceHost: Host? {
        switch self {
        case .v4(let address):
            return Host(ipv4Bits: UInt32(bigEndian: address.address.sin_addr.s_addr))
        case .v6(let address):
            // The sixteen bytes of `sin6_addr`, as two big-endian words.
            return withUnsafeBytes(of: address.address.sin6_addr) { bytes in
                var high: UInt64 = 0
                var low: UInt64 = 0
                for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
                for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
                return Host(ipv6High: high, low: low)
            }
        case .unixDomainSocket:
            return nil
        }
    }
}
