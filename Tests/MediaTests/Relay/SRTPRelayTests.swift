import Media
import NIOCore
import NIOPosix
import SDP
import Testing

/// RTP↔SRTP through the relay on loopback, without SIP: the caller's leg runs SDES-SRTP, the callee's plain RTP.
/// The test endpoints protect and unprotect with `SRTPContext` and the keys the SDP carried. Addresses
/// 127.0.0.21–24 and ports 48000–48199 belong to these tests.
@Suite(.serialized)
struct SRTPRelayTests {
    static let access = MediaRealmConfiguration(
        address: "127.0.0.21", ports: 48_000...48_099, timeout: .seconds(5), srtp: SRTPSettings(mode: .required))
    static let interconnect = MediaRealmConfiguration(address: "127.0.0.22", ports: 48_100...48_199)

    static func sdp(
        _ host: String, _ port: Int, crypto: CryptoAttribute? = nil, version: Int = 1
    ) throws
        -> SessionDescription
    {
        var sdp = try SessionDescription(
            parsing: "v=0\r\no=- 1 \(version) IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
        if let crypto {
            sdp.media[0].proto = .rtpSAVP
            sdp.media[0].attributes.crypto = [crypto]
        }
        return sdp
    }

    static func protect(_ plain: [UInt8], with context: SRTPContext) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: plain.count + SRTPContext.trailerRoom)
        buffer.writeBytes(plain)
        #expect(context.protect(&buffer, isRTCP: false) == .ok)
        return Array(buffer.readableBytesView)
    }

    struct Call {
        var group: MultiThreadedEventLoopGroup
        var session: MediaSession
        var caller: Channel
        var callerEndpoint: MediaRelayTests.Endpoint
        var callee: Channel
        var calleeEndpoint: MediaRelayTests.Endpoint
        /// Gatehouse's ports toward the caller and the callee.
        var callerSide: UInt16
        var calleeSide: UInt16
        /// The key Gatehouse protects with toward the caller, from its answer.
        var gatehouseKey: SRTPMasterKey
        var relay: MediaRelay

        func close() async throws {
            session.close()
            try await caller.close()
            try await callee.close()
            try await group.shutdownGracefully()
        }
    }

    static let callerKey = SRTPMasterKey(
        suite: .aesCM128HMACSHA1Tag80, keySalt: (0..<30).map { UInt8($0) &* 3 &+ 1 })!

    static func call() async throws -> Call {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let (caller, callerEndpoint) = try await MediaRelayTests.bind("127.0.0.23", group: group)
        let (callee, calleeEndpoint) = try await MediaRelayTests.bind("127.0.0.24", group: group)
        let session = relay.makeSession(inbound: access, outbound: interconnect) {}
        let crypto = CryptoAttribute(tag: 5, suite: .aesCM128HMACSHA1Tag80, keySalt: callerKey.keySalt)
        let offer = try session.anchor(
            sdp("127.0.0.23", caller.localAddress!.port!, crypto: crypto), from: .inbound, role: .offer)
        #expect(offer.media[0].proto == .rtpAVP)
        #expect(offer.media[0].attributes.crypto.isEmpty)
        let answer = try session.anchor(sdp("127.0.0.24", callee.localAddress!.port!), from: .outbound, role: .answer)
        #expect(answer.media[0].proto == .rtpSAVP)
        let line = try #require(answer.media[0].attributes.crypto.first)
        #expect(line.tag == 5)
        let gatehouseKey = try #require(SRTPMasterKey(suite: .aesCM128HMACSHA1Tag80, keySalt: try line.inlineKeySalt()))
        #expect(gatehouseKey != callerKey)
        // The relay's channels register asynchronously.
        try await Task.sleep(for: .milliseconds(100))
        return Call(
            group: group, session: session, caller: caller, callerEndpoint: callerEndpoint, callee: callee,
            calleeEndpoint: calleeEndpoint, callerSide: answer.media[0].port, calleeSide: offer.media[0].port,
            gatehouseKey: gatehouseKey, relay: relay)
    }

    @Test func srtpFromTheCallerArrivesAsPlainRTPAndBack() async throws {
        let call = try await Self.call()
        let sender = try SRTPContext(key: Self.callerKey, direction: .outbound)
        let plain = (0..<20).map {
            TestPackets.rtp(sequence: UInt16(100 + $0), timestamp: UInt32($0 * 160))
        }
        for packet in plain {
            try await MediaRelayTests.send(
                Self.protect(packet, with: sender), from: call.caller, to: "127.0.0.21", call.callerSide)
        }
        let atCallee = try await call.calleeEndpoint.waitFor(20)
        #expect(atCallee.map { Array($0.data.readableBytesView) } == plain, "the callee gets the plain packets")
        #expect(atCallee.allSatisfy { $0.remoteAddress.ipAddress == "127.0.0.22" })

        let answers = (0..<20).map {
            TestPackets.rtp(sequence: UInt16(500 + $0), timestamp: UInt32($0 * 160), ssrc: 0xCAFE, payload: 160)
                .enumerated().map { $0.offset < 12 ? $0.element : UInt8(truncatingIfNeeded: $0.offset) }
        }
        for packet in answers {
            try await MediaRelayTests.send(packet, from: call.callee, to: "127.0.0.22", call.calleeSide)
        }
        let atCaller = try await call.callerEndpoint.waitFor(20)
        #expect(atCaller.count == 20)
        let receiver = try SRTPContext(key: call.gatehouseKey, direction: .inbound)
        for (envelope, original) in zip(atCaller, answers) {
            var data = envelope.data
            #expect(data.readableBytes == original.count + 10)
            let wire = Array(data.readableBytesView)
            #expect(!wire.contains(subsequence: original[12..<44]), "no plaintext payload on the SRTP leg")
            #expect(receiver.unprotect(&data, isRTCP: false) == .ok)
            #expect(Array(data.readableBytesView) == original)
            #expect(envelope.remoteAddress.ipAddress == "127.0.0.21")
        }
        try await call.close()
    }

    @Test func tamperedAndReplayedPacketsAreCountedAndDropped() async throws {
        let call = try await Self.call()
        let sender = try SRTPContext(key: Self.callerKey, direction: .outbound)
        let first = Self.protect(TestPackets.rtp(sequence: 1, timestamp: 0), with: sender)
        var tampered = Self.protect(TestPackets.rtp(sequence: 2, timestamp: 160), with: sender)
        tampered[30] ^= 0x80
        let last = Self.protect(TestPackets.rtp(sequence: 3, timestamp: 320), with: sender)
        for packet in [first, tampered, first, last] {
            try await MediaRelayTests.send(packet, from: call.caller, to: "127.0.0.21", call.callerSide)
        }
        let atCallee = try await call.calleeEndpoint.waitFor(2)
        try await Task.sleep(for: .milliseconds(100))
        #expect(call.calleeEndpoint.received.withLockedValue { $0.count } == 2, "the good two only")
        #expect(atCallee.first.map { Array($0.data.readableBytesView) } == TestPackets.rtp(sequence: 1, timestamp: 0))
        let report = try #require(try await call.session.reports().get().first)
        #expect(report.inbound.srtpAuthenticationFailures == 1)
        #expect(report.inbound.srtpReplays == 1)
        #expect(report.inbound.dropped == 2)
        #expect(report.inbound.rtpPackets == 2, "only authenticated packets count as media")
        #expect(report.inbound.srtpSuite == .aesCM128HMACSHA1Tag80)
        #expect(report.outbound.srtpSuite == nil)
        try await call.close()
    }

    /// A re-INVITE with a new key: packets under the new key pass, and so do late ones under the old key.
    @Test func aReKeyKeepsTheStream() async throws {
        let call = try await Self.call()
        let old = try SRTPContext(key: Self.callerKey, direction: .outbound)
        try await MediaRelayTests.send(
            Self.protect(TestPackets.rtp(sequence: 10, timestamp: 0), with: old), from: call.caller,
            to: "127.0.0.21", call.callerSide)
        _ = try await call.calleeEndpoint.waitFor(1)

        let newKey = SRTPMasterKey(suite: .aesCM128HMACSHA1Tag32, keySalt: [UInt8](repeating: 0x5A, count: 30))!
        let crypto = CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag32, keySalt: newKey.keySalt)
        let reoffer = try call.session.anchor(
            Self.sdp("127.0.0.23", call.caller.localAddress!.port!, crypto: crypto, version: 2), from: .inbound,
            role: .offer)
        #expect(reoffer.media[0].port == call.calleeSide, "the stream keeps its ports")
        let reanswer = try call.session.anchor(
            Self.sdp("127.0.0.24", call.callee.localAddress!.port!, version: 2), from: .outbound, role: .answer)
        #expect(reanswer.media[0].attributes.crypto.first?.suite == .aesCM128HMACSHA1Tag32)
        try await Task.sleep(for: .milliseconds(50))

        let new = try SRTPContext(key: newKey, direction: .outbound)
        let late = Self.protect(TestPackets.rtp(sequence: 11, timestamp: 160), with: old)
        let fresh = Self.protect(TestPackets.rtp(sequence: 12, timestamp: 320), with: new)
        for packet in [fresh, late] {
            try await MediaRelayTests.send(packet, from: call.caller, to: "127.0.0.21", call.callerSide)
        }
        let atCallee = try await call.calleeEndpoint.waitFor(3)
        #expect(atCallee.map { $0.data.getInteger(at: 2, as: UInt16.self) } == [10, 12, 11])
        let report = try #require(try await call.session.reports().get().first)
        #expect(report.inbound.srtpAuthenticationFailures == 0)
        #expect(report.inbound.srtpSuite == .aesCM128HMACSHA1Tag32)
        try await call.close()
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: ArraySlice<UInt8>) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { start in
            self[start..<(start + subsequence.count)].elementsEqual(subsequence)
        }
    }
}
