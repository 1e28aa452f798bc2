import GatehousePolicy
import NIOCore
import SIPMessage
import Testing

@testable import GatehouseServer

/// The top Via stamped with the packet's source (RFC 3261 §18.2.1, RFC 3581 §4), and the source read from the
/// socket address without going through text.
struct ViaRoutingTests {
    static func request(via: String) throws -> SIPMessage {
        try SIPMessage(
            parsing: [
                "OPTIONS sip:bob@example.com SIP/2.0", "Via: \(via)", "To: <sip:bob@example.com>",
                "From: <sip:alice@example.com>;tag=a", "Call-ID: c1", "CSeq: 1 OPTIONS", "", "",
            ].joined(separator: "\r\n"))
    }

    @Test func socketAddressesBecomeTheAddressesThePolicyCompares() throws {
        #expect(
            try SocketAddress(ipAddress: "192.0.2.1", port: 5060).sourceIPAddress == IPAddress(parsing: "192.0.2.1"))
        #expect(
            try SocketAddress(ipAddress: "2001:db8::7", port: 5060).sourceIPAddress == IPAddress(parsing: "2001:db8::7")
        )
        // A dual-stack socket's IPv4 peer is the IPv4 address, as the policy's prefixes name it.
        #expect(
            try SocketAddress(ipAddress: "::ffff:192.0.2.9", port: 5060).sourceIPAddress
                == IPAddress(parsing: "192.0.2.9"))
    }

    @Test func aDualStackSocketsIPv4PeerIsReceivedInTheSocketsFamily() throws {
        let mapped = try SocketAddress(ipAddress: "::ffff:192.0.2.9", port: 5060)
        #expect(mapped.sourceHost == .ipv6(try IPv6Address(parsing: "::ffff:192.0.2.9")))
        // A response to `received` must leave through the IPv6 socket the request came in on.
        var message = try Self.request(via: "SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-1")
        ViaRouting.stampTopVia(&message, source: mapped)
        #expect(try message.topVia.received == .ipv6(try IPv6Address(parsing: "::ffff:192.0.2.9")))
    }

    @Test func receivedIsAddedWhenTheSentByIsNotTheSource() throws {
        var message = try Self.request(via: "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-1")
        ViaRouting.stampTopVia(&message, source: try SocketAddress(ipAddress: "192.0.2.1", port: 40000))
        #expect(try message.topVia.received == .ipv4(IPv4Address(parsing: "192.0.2.1")))
        #expect(try message.topVia.rport == nil)
    }

    @Test func rportIsFilledWhenAskedOrForced() throws {
        var asked = try Self.request(via: "SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK-1")
        ViaRouting.stampTopVia(&asked, sourceHost: .ipv4(try IPv4Address(parsing: "192.0.2.1")), sourcePort: 40000)
        #expect(try asked.topVia.rport == .port(40000))
        #expect(try asked.topVia.received == .ipv4(IPv4Address(parsing: "192.0.2.1")))

        var forced = try Self.request(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1")
        ViaRouting.stampTopVia(
            &forced, sourceHost: .ipv4(try IPv4Address(parsing: "192.0.2.1")), sourcePort: 40001, forceRport: true)
        #expect(try forced.topVia.rport == .port(40001))
    }

    @Test func aViaThatNamesTheSourceIsLeftAlone() throws {
        var message = try Self.request(via: "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-1")
        let before = message.serialize()
        ViaRouting.stampTopVia(&message, source: try SocketAddress(ipAddress: "192.0.2.1", port: 5060))
        #expect(message.serialize() == before)
    }
}
