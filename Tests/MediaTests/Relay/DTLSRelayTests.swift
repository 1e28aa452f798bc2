import Media
import NIOCore
import NIOPosix
import SDP
import Testing

/// DTLS-SRTP on one leg through the relay on loopback, without SIP: the caller's leg keys SRTP by a DTLS handshake
/// with Gatehouse (a test-side `DTLSAssociation` over a plain UDP socket), the callee's leg is plain RTP.
/// Addresses 127.0.0.11–14 and ports 59000–59999 belong to these tests.
@Suite(.serialized)
struct DTLSRelayTests {
    static let access = MediaRealmConfiguration(
        address: "127.0.0.11", ports: 59_000...59_099, timeout: .seconds(5),
        srtp: SRTPSettings(mode: .required, keyExchanges: [.dtls]))
    static let interconnect = MediaRealmConfiguration(address: "127.0.0.12", ports: 59_100...59_199)

    static func sdp(_ host: String, _ port: UInt16) throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=rtcp-mux\r\n")
    }

    /// Runs the caller's side of the handshake until its association is connected (or fails, or 5 s pass).
    static func handshake(
        _ association: DTLSAssociation, over socket: LoopbackUDPSocket, with host: String, _ port: UInt16
    ) throws -> DTLSSRTPKeys? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if case .connected(let keys) = association.state { return keys }
            if case .failed = association.state { return nil }
            let replies: [[UInt8]]
            if let received = socket.receive(timeout: .milliseconds(50)) {
                replies = association.receive(received.datagram)
            } else {
                replies = association.handleTimeout()
            }
            for reply in replies { try socket.send(reply, to: host, port: port) }
        }
        return nil
    }

    static func protect(_ plain: [UInt8], with context: SRTPContext) -> [UInt8] {
        var buffer = ByteBufferAllocator().buffer(capacity: plain.count + SRTPContext.trailerRoom)
        buffer.writeBytes(plain)
        #expect(context.protect(&buffer, isRTCP: false) == .ok)
        return Array(buffer.readableBytesView)
    }

    /// The next `count` RTP/RTCP datagrams on `socket` (DTLS retransmissions skipped), within 2 s each.
    static func receiveMedia(_ count: Int, on socket: LoopbackUDPSocket) -> [[UInt8]] {
        var packets: [[UInt8]] = []
        while packets.count < count, let received = socket.receive(timeout: .seconds(2)) {
            if MediaDatagramKind(classifying: received.datagram) == .rtpOrRTCP { packets.append(received.datagram) }
        }
        return packets
    }

    @Test func theDTLSLegCarriesOnlySRTPAndThePlainLegCarriesTheAudio() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let gatehouseFingerprint = try #require(relay.dtlsContext?.certificate.fingerprint)
        let session = relay.makeSession(inbound: Self.access, outbound: Self.interconnect) {}
        let caller = try LoopbackUDPSocket(host: "127.0.0.13", port: 59_900)
        let callee = try LoopbackUDPSocket(host: "127.0.0.14", port: 59_902)
        let callerContext = try DTLSContext(certificate: try DTLSCertificate.generate())
        // The caller offers actpass, so its association starts without Gatehouse's fingerprint (RFC 5763 §5).
        let callerDTLS = try DTLSAssociation(context: callerContext, role: .server)

        var offer = try Self.sdp("127.0.0.13", 59_900)
        offer.media[0].proto = .udpTLSRTPSAVP
        offer.media[0].attributes.fingerprints = [callerContext.certificate.fingerprint]
        offer.media[0].attributes.setup = .actpass
        let toCallee = try session.anchor(offer, from: .inbound, role: .offer)
        #expect(toCallee.media[0].proto == .rtpAVP)
        #expect(!toCallee.serialized().contains("a=fingerprint"), "the callee never sees a fingerprint")
        #expect(!toCallee.serialized().contains("a=setup"))
        let toCaller = try session.anchor(try Self.sdp("127.0.0.14", 59_902), from: .outbound, role: .answer)
        #expect(toCaller.media[0].proto == .udpTLSRTPSAVP)
        #expect(toCaller.media[0].attributes.fingerprints == [gatehouseFingerprint])
        #expect(toCaller.media[0].attributes.setup == .active, "Gatehouse opens the association")
        try callerDTLS.expectRemoteFingerprints(toCaller.media[0].attributes.fingerprints)

        let callerSide = toCaller.media[0].port
        let calleeSide = toCallee.media[0].port
        let keys = try #require(try Self.handshake(callerDTLS, over: caller, with: "127.0.0.11", callerSide))
        // Gatehouse is connected once it has the caller's last flight, which left just before ours finished.
        try await Task.sleep(for: .milliseconds(200))
        let suite = SRTPCryptoSuite(keys.profile)
        let sender = try SRTPContext(
            key: try #require(SRTPMasterKey(suite: suite, keySalt: keys.localKeySalt)), direction: .outbound)
        let receiver = try SRTPContext(
            key: try #require(SRTPMasterKey(suite: suite, keySalt: keys.remoteKeySalt)), direction: .inbound)

        let fromCaller = (0..<10).map { TestPackets.rtp(sequence: UInt16(100 + $0), timestamp: UInt32($0 * 160)) }
        for packet in fromCaller {
            try caller.send(Self.protect(packet, with: sender), to: "127.0.0.11", port: callerSide)
        }
        #expect(Self.receiveMedia(10, on: callee) == fromCaller, "the callee gets the plain packets")

        let fromCallee = (0..<10).map {
            TestPackets.rtp(sequence: UInt16(500 + $0), timestamp: UInt32($0 * 160), ssrc: 0xCAFE, payload: 160)
                .enumerated().map { $0.offset < 12 ? $0.element : UInt8(truncatingIfNeeded: $0.offset) }
        }
        for packet in fromCallee { try callee.send(packet, to: "127.0.0.12", port: calleeSide) }
        let atCaller = Self.receiveMedia(10, on: caller)
        #expect(atCaller.count == 10)
        for (wire, original) in zip(atCaller, fromCallee) {
            #expect(!wire.contains(subsequence: original[12..<44]), "no plaintext payload on the DTLS leg")
            var buffer = ByteBuffer(bytes: wire)
            #expect(receiver.unprotect(&buffer, isRTCP: false) == .ok)
            #expect(Array(buffer.readableBytesView) == original)
        }

        let report = try #require(try await session.reports().get().first)
        #expect(report.inbound.srtpSuite == suite)
        #expect(report.outbound.srtpSuite == nil)
        #expect(report.inbound.rtpPackets == 10)
        session.close()
        // Gatehouse ends the association with a close_notify.
        var closed = false
        while !closed, let received = caller.receive(timeout: .seconds(2)) {
            if MediaDatagramKind(classifying: received.datagram) == .dtls {
                _ = callerDTLS.receive(received.datagram)
                closed = callerDTLS.state == .closed
            }
        }
        #expect(closed)
        try await group.shutdownGracefully()
    }

    @Test func plainRTPFromTheCalleeIsNotSentBeforeTheHandshake() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let session = relay.makeSession(inbound: Self.access, outbound: Self.interconnect) {}
        let caller = try LoopbackUDPSocket(host: "127.0.0.13", port: 59_904)
        let callee = try LoopbackUDPSocket(host: "127.0.0.14", port: 59_906)
        let callerContext = try DTLSContext(certificate: try DTLSCertificate.generate())
        var offer = try Self.sdp("127.0.0.13", 59_904)
        offer.media[0].proto = .udpTLSRTPSAVP
        offer.media[0].attributes.fingerprints = [callerContext.certificate.fingerprint]
        offer.media[0].attributes.setup = .actpass
        let toCallee = try session.anchor(offer, from: .inbound, role: .offer)
        _ = try session.anchor(try Self.sdp("127.0.0.14", 59_906), from: .outbound, role: .answer)
        try await Task.sleep(for: .milliseconds(100))
        let packet = TestPackets.rtp(sequence: 1, timestamp: 0)
        for _ in 0..<5 { try callee.send(packet, to: "127.0.0.12", port: toCallee.media[0].port) }
        // The caller never answers the handshake: it sees ClientHellos, never RTP.
        var sawClientHello = false
        while let received = caller.receive(timeout: .milliseconds(500)) {
            let kind = MediaDatagramKind(classifying: received.datagram)
            #expect(kind == .dtls)
            sawClientHello = sawClientHello || kind == .dtls
        }
        #expect(sawClientHello)
        let report = try #require(try await session.reports().get().first)
        #expect(report.outbound.dropped == 5)
        session.close()
        try await group.shutdownGracefully()
    }
}
