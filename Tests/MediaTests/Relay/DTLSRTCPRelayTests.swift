import Media
import NIOCore
import NIOPosix
import SDP
import Testing

/// DTLS-SRTP without rtcp-mux through the relay (RFC 5764 §4.1): the caller's RTCP port runs a DTLS association of
/// its own, with its own keys, and SRTCP on that port is protected and checked with those, not the RTP port's.
/// Addresses 127.0.1.5–8 and ports 62500–62799 belong to these tests (with `DTLSFailureRelayTests`).
@Suite(.serialized)
struct DTLSRTCPRelayTests {
    static func sdpWithoutMux(_ host: String, _ port: UInt16) throws -> SessionDescription {
        try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    }

    /// A sender report (RFC 3550 §6.4.1) without report blocks.
    static func senderReport(ssrc: UInt32) -> [UInt8] {
        [0x80, 200, 0x00, 0x06] + withUnsafeBytes(of: ssrc.bigEndian, Array.init) + [UInt8](repeating: 7, count: 20)
    }

    static func context(_ keys: DTLSSRTPKeys, local: Bool) throws -> SRTPContext {
        let suite = SRTPCryptoSuite(keys.profile)
        let key = try #require(SRTPMasterKey(suite: suite, keySalt: local ? keys.localKeySalt : keys.remoteKeySalt))
        return try SRTPContext(key: key, direction: local ? .outbound : .inbound)
    }

    @Test func theRTCPPortHasItsOwnAssociationAndKeys() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let gatehouseFingerprint = try #require(relay.dtlsContext?.certificate.fingerprint)
        let session = relay.makeSession(
            inbound: DTLSFailureRelayTests.access, outbound: DTLSFailureRelayTests.interconnect, onSilence: {})
        let callerRTP = try LoopbackUDPSocket(host: "127.0.1.7", port: 62_720)
        let callerRTCP = try LoopbackUDPSocket(host: "127.0.1.7", port: 62_721)
        _ = try LoopbackUDPSocket(host: "127.0.1.8", port: 62_722)
        let calleeRTCP = try LoopbackUDPSocket(host: "127.0.1.8", port: 62_723)
        let callerContext = try DTLSContext(certificate: try DTLSCertificate.generate())
        let rtpDTLS = try DTLSAssociation(
            context: callerContext, role: .server, remoteFingerprints: [gatehouseFingerprint])
        let rtcpDTLS = try DTLSAssociation(
            context: callerContext, role: .server, remoteFingerprints: [gatehouseFingerprint])

        var offer = try Self.sdpWithoutMux("127.0.1.7", 62_720)
        offer.media[0].proto = .udpTLSRTPSAVP
        offer.media[0].attributes.fingerprints = [callerContext.certificate.fingerprint]
        offer.media[0].attributes.setup = .actpass
        let toCallee = try session.anchor(offer, from: .inbound, role: .offer)
        let toCaller = try session.anchor(
            try Self.sdpWithoutMux("127.0.1.8", 62_722), from: .outbound, role: .answer)
        #expect(!toCaller.serialized().contains("a=rtcp-mux"))
        #expect(toCaller.media[0].attributes.setup == .active)
        let callerSide = toCaller.media[0].port
        let calleeSide = toCallee.media[0].port

        // Gatehouse opens both associations; each completes on its own port with its own keys.
        let rtpKeys = try #require(
            try DTLSRelayTests.handshake(rtpDTLS, over: callerRTP, with: "127.0.1.5", callerSide))
        let rtcpKeys = try #require(
            try DTLSRelayTests.handshake(rtcpDTLS, over: callerRTCP, with: "127.0.1.5", callerSide + 1))
        #expect(rtpKeys.localKey != rtcpKeys.localKey && rtpKeys.remoteKey != rtcpKeys.remoteKey)
        try await Task.sleep(for: .milliseconds(200))

        // SRTCP from the caller under the RTCP association's key reaches the callee as plain RTCP; under the RTP
        // association's key it fails authentication and is dropped.
        let report = Self.senderReport(ssrc: 0xABCD)
        for (keys, ssrc) in [(rtpKeys, UInt32(0x1111)), (rtcpKeys, UInt32(0xABCD))] {
            var buffer = ByteBufferAllocator().buffer(capacity: 28 + SRTPContext.trailerRoom)
            buffer.writeBytes(Self.senderReport(ssrc: ssrc))
            #expect(try Self.context(keys, local: true).protect(&buffer, isRTCP: true) == .ok)
            try callerRTCP.send(Array(buffer.readableBytesView), to: "127.0.1.5", port: callerSide + 1)
        }
        let atCallee = try #require(calleeRTCP.receive(timeout: .seconds(2)))
        #expect(atCallee.datagram == report, "only the packet under the RTCP port's key crosses, decrypted")
        #expect(calleeRTCP.receive(timeout: .milliseconds(300)) == nil)

        // RTCP from the callee reaches the caller's RTCP port as SRTCP under the RTCP association's key.
        let fromCallee = Self.senderReport(ssrc: 0xCAFE)
        try calleeRTCP.send(fromCallee, to: "127.0.1.6", port: calleeSide + 1)
        var wire: [UInt8]?
        while wire == nil, let received = callerRTCP.receive(timeout: .seconds(2)) {
            if MediaDatagramKind(classifying: received.datagram) == .rtpOrRTCP { wire = received.datagram }
        }
        let srtcp = try #require(wire)
        var wrongKey = ByteBuffer(bytes: srtcp)
        #expect(try Self.context(rtpKeys, local: false).unprotect(&wrongKey, isRTCP: true) != .ok)
        var rightKey = ByteBuffer(bytes: srtcp)
        #expect(try Self.context(rtcpKeys, local: false).unprotect(&rightKey, isRTCP: true) == .ok)
        #expect(Array(rightKey.readableBytesView) == fromCallee)

        let stream = try #require(try await session.reports().get().first)
        #expect(stream.inbound.srtpAuthenticationFailures == 1)
        #expect(stream.inbound.rtcpPackets == 1)
        session.close()
        try await group.shutdownGracefully()
    }
}
