import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SDP
import Testing

/// The relay on loopback, without SIP: two UDP endpoints exchange RTP through a session whose SDP was anchored,
/// as the engine does it. Addresses 127.0.0.166–169 and ports 41000–41099 / 42000–42099 belong to these tests.
@Suite(.serialized)
struct MediaRelayTests {
    static let access = MediaRealmConfiguration(address: "127.0.0.166", ports: 41_000...41_099, timeout: .seconds(2))
    static let interconnect = MediaRealmConfiguration(
        address: "127.0.0.167", ports: 42_000...42_099, timeout: .seconds(2))

    /// A UDP endpoint that keeps what it receives.
    final class Endpoint: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received = NIOLockedValueBox<[AddressedEnvelope<ByteBuffer>]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            received.withLockedValue { $0.append(envelope) }
        }

        /// Waits up to two seconds for `count` datagrams.
        func waitFor(_ count: Int) async throws -> [AddressedEnvelope<ByteBuffer>] {
            for _ in 0..<200 {
                let now = received.withLockedValue { $0 }
                if now.count >= count { return now }
                try await Task.sleep(for: .milliseconds(10))
            }
            return received.withLockedValue { $0 }
        }
    }

    static func bind(_ host: String, group: any EventLoopGroup) async throws -> (Channel, Endpoint) {
        let endpoint = Endpoint()
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(endpoint) }
            }
            .bind(host: host, port: 0).get()
        return (channel, endpoint)
    }

    static func sdp(_ host: String, _ port: Int) throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    }

    static func send(_ bytes: [UInt8], from channel: Channel, to host: String, _ port: UInt16) async throws {
        let address = try SocketAddress(ipAddress: host, port: Int(port))
        try await channel.writeAndFlush(
            AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: bytes))
        ).get()
    }

    @Test func relaysBothWaysFromGatehousesAddressesOnly() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let (caller, callerEndpoint) = try await Self.bind("127.0.0.168", group: group)
        let (callee, calleeEndpoint) = try await Self.bind("127.0.0.169", group: group)
        let session = relay.makeSession(inbound: Self.access, outbound: Self.interconnect) {}
        let offer = try session.anchor(
            Self.sdp("127.0.0.168", caller.localAddress!.port!), from: .inbound, role: .offer)
        let answer = try session.anchor(
            Self.sdp("127.0.0.169", callee.localAddress!.port!), from: .outbound, role: .answer)
        #expect(offer.connection?.address == "127.0.0.167")
        #expect(answer.connection?.address == "127.0.0.166")
        #expect(relay.allocatedPairs(Self.access) == 1)

        let packets = (0..<20).map { TestPackets.rtp(sequence: UInt16(1000 + $0), timestamp: UInt32($0 * 160)) }
        for packet in packets {
            try await Self.send(packet, from: caller, to: "127.0.0.166", answer.media[0].port)
        }
        let atCallee = try await calleeEndpoint.waitFor(20)
        #expect(atCallee.count == 20)
        #expect(atCallee.map { Array($0.data.readableBytesView) } == packets, "payload bytes arrive unchanged")
        #expect(atCallee.allSatisfy { $0.remoteAddress.ipAddress == "127.0.0.167" })
        #expect(atCallee.first?.remoteAddress.port == Int(offer.media[0].port))

        // The callee answers to where the packets came from; they reach the caller from the access address.
        let echo = TestPackets.rtp(sequence: 7, timestamp: 0, ssrc: 99)
        try await Self.send(echo, from: callee, to: "127.0.0.167", offer.media[0].port)
        let atCaller = try await callerEndpoint.waitFor(1)
        #expect(atCaller.map { Array($0.data.readableBytesView) } == [echo])
        #expect(atCaller.first?.remoteAddress.ipAddress == "127.0.0.166")

        let reports = try await session.reports().get()
        #expect(reports.first?.inbound.rtpPackets == 20)
        #expect(reports.first?.inbound.lost == 0)
        #expect(reports.first?.outbound.rtpPackets == 1)

        session.close()
        #expect(relay.allocatedPairs(Self.access) == 0, "the ports went back to the pool")
        try await caller.close()
        try await callee.close()
        try await group.shutdownGracefully()
    }

    @Test func silenceEndsTheCall() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group, configuration: MediaRelayConfiguration(silenceCheckInterval: .seconds(1)))
        let silent = NIOLockedValueBox(0)
        let session = relay.makeSession(inbound: Self.access, outbound: Self.interconnect) {
            silent.withLockedValue { $0 += 1 }
        }
        _ = try session.anchor(Self.sdp("127.0.0.168", 40_000), from: .inbound, role: .offer)
        _ = try session.anchor(Self.sdp("127.0.0.169", 40_002), from: .outbound, role: .answer)
        try await Task.sleep(for: .milliseconds(1500))
        #expect(silent.withLockedValue { $0 } == 0, "not yet")
        try await Task.sleep(for: .milliseconds(2000))
        #expect(silent.withLockedValue { $0 } == 1, "once, after the 2 s timeout")
        session.close()
        try await group.shutdownGracefully()
    }

    @Test func anExhaustedPoolRefusesTheOffer() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let tiny = MediaRealmConfiguration(address: "127.0.0.166", ports: 41_100...41_103)
        let sessions = (0..<3).map { _ in relay.makeSession(inbound: tiny, outbound: Self.interconnect) {} }
        _ = try sessions[0].anchor(Self.sdp("127.0.0.168", 40_000), from: .inbound, role: .offer)
        _ = try sessions[1].anchor(Self.sdp("127.0.0.168", 40_000), from: .inbound, role: .offer)
        #expect(throws: MediaAnchorError.self) {
            _ = try sessions[2].anchor(Self.sdp("127.0.0.168", 40_000), from: .inbound, role: .offer)
        }
        for session in sessions { session.close() }
        #expect(relay.allocatedPairs(tiny) == 0)
        #expect(relay.allocatedPairs(Self.interconnect) == 0)
        try await group.shutdownGracefully()
    }
}
