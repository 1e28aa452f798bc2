import Foundation
import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

/// The MRF's media over loopback UDP: what a caller receives from an announcement decodes to the file, and the digits
/// it sends reach the menu. Addresses 127.0.0.41–49 and UDP ports 51000–51999 belong to the MRF tests.
@Suite(.serialized)
struct MRFMediaStreamTests {
    /// A caller's UDP endpoint that keeps what it receives.
    final class Caller: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        let received = NIOLockedValueBox<[[UInt8]]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let bytes = Array(unwrapInboundIn(data).data.readableBytesView)
            received.withLockedValue { $0.append(bytes) }
        }
    }

    /// Collects the stream's events.
    final class Events: Sendable {
        let seen = NIOLockedValueBox<[MRFPlayout.Event]>([])

        func wait(for event: MRFPlayout.Event, seconds: Int = 3) async throws -> Bool {
            for _ in 0..<(seconds * 100) {
                if seen.withLockedValue({ $0.contains(event) }) { return true }
                try await Task.sleep(for: .milliseconds(10))
            }
            return false
        }
    }

    static func caller(_ host: String, _ port: Int, group: any EventLoopGroup) async throws -> (Channel, Caller) {
        let caller = Caller()
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(caller) }
            }
            .bind(host: host, port: port).get()
        return (channel, caller)
    }

    @Test func anAnnouncementCallsReceivedRTPDecodesToTheFile() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let (callerChannel, caller) = try await Self.caller("127.0.0.42", 51_100, group: group)
        let events = Events()
        let playout = MRFPlayout(
            law: .muLaw, telephoneEventPayloadType: 101, ssrc: 7, firstSequenceNumber: 1, firstTimestamp: 0)
        let stream = try await MRFMediaStream.open(
            on: group.next(), host: "127.0.0.41", port: 51_000,
            remote: try SocketAddress(ipAddress: "127.0.0.42", port: 51_100), playout: playout,
            onEvent: { event in events.seen.withLockedValue { $0.append(event) } }
        ).get()
        let samples = TestAudio.sine(440, amplitude: 10_000, count: 2400)  // 300 ms
        let audio = try WAVReader.read(TestAudio.wav(data: TestAudio.pcm16(samples)))
        stream.play(audio)
        #expect(try await events.wait(for: .announcementFinished))
        try await Task.sleep(for: .milliseconds(60))

        // The stream sent silence before the announcement began; the announcement starts at the marked packet.
        let packets = caller.received.withLockedValue { $0 }.compactMap { RTPDatagram(bytes: $0) }
        let start = try #require(packets.lastIndex { $0.header.marker })
        let played = packets[start...].prefix(15)
        #expect(played.count == 15)
        #expect(
            zip(played, played.dropFirst()).allSatisfy { $1.header.sequenceNumber == $0.header.sequenceNumber &+ 1 })
        let decoded = played.flatMap { G711Law.muLaw.decode($0.payload) }
        #expect(decoded.count == samples.count)
        #expect(zip(samples, decoded).allSatisfy { abs(Int($0) - Int($1)) <= abs(Int($0)) / 32 + 16 })

        // The caller presses 1 (SIPp's capture, sent as the caller would): the menu gets it.
        stream.collectDigits(timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(20))
        let keypress = try DTMFCollectorTests.rtpPackets(inCapture: "\(DTMFCollectorTests.captures)/dtmf_2833_1.pcap")
        let mrf = try SocketAddress(ipAddress: "127.0.0.41", port: 51_000)
        for packet in keypress {
            try await callerChannel.writeAndFlush(
                AddressedEnvelope(remoteAddress: mrf, data: ByteBuffer(bytes: packet))
            )
            .get()
        }
        #expect(try await events.wait(for: .digits(.digits("1"))))

        try await stream.close().get()
        try await callerChannel.close().get()
        try await group.shutdownGracefully()
    }
}
