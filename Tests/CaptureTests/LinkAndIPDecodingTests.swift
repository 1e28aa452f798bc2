import Capture
import GatehousePolicy
import SIPMessage
import Testing

/// Each link type and IP shape the decoder reads, down to the SIP payload and its addresses.
struct LinkAndIPDecodingTests {
    @Test(arguments: [
        PacketBuilder.Link.ethernet(), .ethernet(vlanTags: [100]), .ethernet(vlanTags: [10, 20]), .linuxSLL,
        .linuxSLL2, .null, .raw,
    ])
    func aUDPMessageComesOutOfEveryLinkType(link: PacketBuilder.Link) {
        let payload = Crafted.options(callID: "link")
        let (messages, statistics) = Crafted.decode([Crafted.udp(payload, link: link)])
        #expect(messages.count == 1)
        #expect(messages.first.flatMap(Crafted.bytes) == payload)
        #expect(
            messages.first?.flow
                == CapturedFlow(
                    source: Crafted.phone, sourcePort: 5062, destination: Crafted.node, destinationPort: 5060,
                    transport: .udp))
        #expect(statistics.undecoded.isEmpty)
    }

    @Test func ipv6CarriesSIPWithItsAddresses() {
        let payload = Crafted.options(callID: "six")
        let (messages, _) = Crafted.decode([
            Crafted.udp(payload, from: Crafted.phone6, to: Crafted.node6, link: .linuxSLL2)
        ])
        #expect(messages.count == 1)
        #expect(messages.first?.flow.source == Crafted.phone6)
        #expect(messages.first?.flow.destination == Crafted.node6)
        #expect(messages.first.flatMap(Crafted.bytes) == payload)
    }

    @Test func ipv6ExtensionHeadersAreWalked() {
        let payload = Crafted.options(callID: "hop-by-hop")
        let udp = PacketBuilder.udp(
            sourcePort: 5062, destinationPort: 5060, payload: payload, source: Crafted.phone6,
            destination: Crafted.node6)
        // Hop-by-hop options (8 bytes of padding) then destination options (8 bytes), then UDP.
        let extensions: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0] + [17, 0, 1, 4, 0, 0, 0, 0]
        var packet = PacketBuilder.ip(from: Crafted.phone6, to: Crafted.node6, protocol: 17, payload: extensions + udp)
        packet[6] = 0  // the fixed header's next header: hop-by-hop
        let (messages, _) = Crafted.decode([
            CapturedPacket(timestamp: 0, linkType: .raw, bytes: packet)
        ])
        #expect(messages.first.flatMap(Crafted.bytes) == payload)
    }

    @Test func whatIsNotSIPIsCountedNotReturned() {
        let rtp = Crafted.udp([0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], 40_000, to: Crafted.node, 40_002)
        let keepAlive = Crafted.udp(Array("\r\n\r\n".utf8))
        let arp = CapturedPacket(
            timestamp: 0, linkType: .ethernet, bytes: [UInt8](repeating: 0, count: 12) + [0x08, 0x06] + [0, 1])
        let truncated = CapturedPacket(
            timestamp: 0, linkType: .ethernet,
            bytes: Array(Crafted.udp(Crafted.options(callID: "cut")).bytes.prefix(60)))
        let (messages, statistics) = Crafted.decode([rtp, keepAlive, arp, truncated])
        #expect(messages.isEmpty)
        #expect(statistics.notSIP == 1)
        #expect(statistics.keepAlives == 1)
        #expect(statistics.undecoded == ["not-ip": 1, "truncated": 1])
        #expect(statistics.packets == 4)
    }

    @Test func sipOnAnotherPortIsRecognizedByItsStartLine() {
        let request = Crafted.udp(Crafted.options(callID: "odd-port"), 7000, to: Crafted.node, 7001)
        let response = Crafted.udp(
            Array("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n".utf8), 7001, to: Crafted.phone, 7000)
        #expect(Crafted.decode([request, response]).messages.count == 2)
    }
}
