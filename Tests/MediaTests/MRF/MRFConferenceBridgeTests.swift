import Media
import NIOCore
import NIOPosix
import Testing

/// A three-party conference over loopback UDP: each party sends its own tone and hears the other two, not itself.
@Suite(.serialized)
struct MRFConferenceBridgeTests {
    @Test func eachPartyHearsTheOtherTwoTonesAndNotItsOwn() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let bridge = MRFConferenceBridge<String>(loop: group.next())
        let parties: [(name: String, host: String, tone: Double, law: G711Law)] = [
            ("alice", "127.0.0.43", 400, .muLaw), ("bob", "127.0.0.44", 700, .aLaw),
            ("carol", "127.0.0.45", 1100, .muLaw),
        ]
        var callers: [String: (Channel, MRFMediaStreamTests.Caller)] = [:]
        for (index, party) in parties.enumerated() {
            callers[party.name] = try await MRFMediaStreamTests.caller(party.host, 51_200 + index, group: group)
            try await bridge.add(
                party.name, host: "127.0.0.41", port: 51_010 + index,
                remote: try SocketAddress(ipAddress: party.host, port: 51_200 + index), law: party.law,
                ssrc: UInt32(index + 1)
            ).get()
        }

        // 600 ms of each party's tone, one 20 ms packet at a time.
        var packetizers = parties.map {
            RTPPacketizer(payloadType: $0.law.payloadType, ssrc: 99, firstSequenceNumber: 0, firstTimestamp: 0)
        }
        for frame in 0..<30 {
            for (index, party) in parties.enumerated() {
                let samples = TestAudio.sine(party.tone, amplitude: 6000, count: 160, from: frame * 160)
                let packet = packetizers[index].packet(payload: party.law.encode(samples))
                let bridgeAddress = try SocketAddress(ipAddress: "127.0.0.41", port: 51_010 + index)
                try await callers[party.name]!.0.writeAndFlush(
                    AddressedEnvelope(remoteAddress: bridgeAddress, data: ByteBuffer(bytes: packet))
                ).get()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(100))

        for party in parties {
            let heard = callers[party.name]!.1.received.withLockedValue { $0 }.compactMap { RTPDatagram(bytes: $0) }
            #expect(heard.count >= 20, "\(party.name) received \(heard.count) packets")
            #expect(heard.allSatisfy { $0.header.payloadType == party.law.payloadType })
            // Tone power per 20 ms frame (each frame is coherent; across frames the phase jumps wherever a loaded
            // machine delayed a packet past a tick), summed over the frames.
            let frames = heard.map { party.law.decode($0.payload) }
            let own = frames.reduce(0) { $0 + TestAudio.power(of: party.tone, in: $1) }
            for other in parties where other.name != party.name {
                let powers = frames.map { TestAudio.power(of: other.tone, in: $0) }
                // A frame carrying the other's 6000-amplitude tone has about 6000²/4 = 9,000,000.
                let audible = powers.filter { $0 > 1_000_000 }.count
                #expect(audible >= 10, "\(party.name) hears \(other.name) in \(audible) frames")
                // Its own tone would be as strong as the others; only quantization noise is left of it.
                #expect(powers.reduce(0, +) > 50 * own, "\(party.name) does not hear itself")
            }
        }

        for party in parties {
            // What each participant's record gets: the 30 packets it sent (12 + 160 bytes), what the bridge sent it.
            let counted = try await bridge.remove(party.name).get()
            #expect(counted.receivedPackets == 30 && counted.receivedBytes == 30 * 172, "\(party.name): \(counted)")
            #expect(counted.sentPackets >= 20 && counted.sentBytes == counted.sentPackets * 172)
            #expect(counted.receivedRTCPPackets == 0)
            try await callers[party.name]!.0.close().get()
        }
        try await group.shutdownGracefully()
    }
}
