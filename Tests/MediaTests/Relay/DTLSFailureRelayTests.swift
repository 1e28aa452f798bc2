import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SDP
import Testing

/// DTLS-SRTP associations that fail, through the relay on loopback: the session reports each failure once with
/// its reason, the stream's report keeps it, and the leg relays nothing either way.
/// Addresses 127.0.1.5–8 and ports 62500–62799 belong to these tests.
@Suite(.serialized)
struct DTLSFailureRelayTests {
    static let access = MediaRealmConfiguration(
        address: "127.0.1.5", ports: 62_500...62_599, timeout: .seconds(5),
        srtp: SRTPSettings(mode: .required, keyExchanges: [.dtls]))
    static let interconnect = MediaRealmConfiguration(address: "127.0.1.6", ports: 62_600...62_699)

    /// A DTLS offer from the caller at `port` naming `fingerprint`, answered by a plain callee at `calleePort`;
    /// returns Gatehouse's ports toward the caller and toward the callee.
    static func anchorCall(
        _ session: MediaSession, callerPort: UInt16, fingerprint: Fingerprint, calleePort: UInt16
    ) throws -> (callerSide: UInt16, calleeSide: UInt16) {
        var offer = try DTLSRelayTests.sdp("127.0.1.7", callerPort)
        offer.media[0].proto = .udpTLSRTPSAVP
        offer.media[0].attributes.fingerprints = [fingerprint]
        offer.media[0].attributes.setup = .actpass
        let toCallee = try session.anchor(offer, from: .inbound, role: .offer)
        let toCaller = try session.anchor(
            try DTLSRelayTests.sdp("127.0.1.8", calleePort), from: .outbound, role: .answer)
        #expect(toCaller.media[0].attributes.setup == .active)
        return (toCaller.media[0].port, toCallee.media[0].port)
    }

    /// Waits up to `timeout` for the first failure reported. It looks once more after the deadline: a test task
    /// the suite's load kept from running past the deadline still sees what was reported meanwhile.
    static func firstFailure(
        _ failures: NIOLockedValueBox<[DTLSLegFailure]>, within timeout: Duration
    ) async throws -> DTLSLegFailure? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let first = failures.withLockedValue({ $0.first }) { return first }
            try await Task.sleep(for: .milliseconds(20))
        }
        return failures.withLockedValue { $0.first }
    }

    @Test func aCertificateThatDoesNotMatchTheFingerprintFailsTheLegAndNothingCrosses() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let relay = MediaRelay(group: group)
        let failures = NIOLockedValueBox<[DTLSLegFailure]>([])
        let session = relay.makeSession(
            inbound: Self.access, outbound: Self.interconnect,
            onDTLSFailure: { failure in failures.withLockedValue { $0.append(failure) } }, onSilence: {})
        let caller = try LoopbackUDPSocket(host: "127.0.1.7", port: 62_700)
        let callee = try LoopbackUDPSocket(host: "127.0.1.8", port: 62_702)
        // The caller's SDP names one certificate; its DTLS stack presents another.
        let signalled = try DTLSCertificate.generate()
        let presented = try DTLSContext(certificate: try DTLSCertificate.generate())
        let callerDTLS = try DTLSAssociation(context: presented, role: .server)
        let (callerSide, calleeSide) = try Self.anchorCall(
            session, callerPort: 62_700, fingerprint: signalled.fingerprint, calleePort: 62_702)
        try callerDTLS.expectRemoteFingerprints([try #require(relay.dtlsContext?.certificate.fingerprint)])

        #expect(try DTLSRelayTests.handshake(callerDTLS, over: caller, with: "127.0.1.5", callerSide) == nil)
        guard case .failed(let callerError) = callerDTLS.state else {
            Issue.record("the caller's association is \(callerDTLS.state)")
            return
        }
        #expect(callerError.code == .handshakeFailed, "Gatehouse answered the certificate with an alert")
        let failure = try #require(try await Self.firstFailure(failures, within: .seconds(10)))
        #expect(failure.leg == .inbound && failure.stream == 0)
        #expect(failure.error.code == .fingerprintMismatch)

        // Nothing crosses the failed leg: the callee's RTP is not sent to the caller, and packets from the caller
        // (which could only be SRTP under keys Gatehouse does not have) do not reach the callee.
        for sequence in 0..<5 {
            try callee.send(
                TestPackets.rtp(sequence: UInt16(sequence), timestamp: 0), to: "127.0.1.6", port: calleeSide)
            try caller.send(
                TestPackets.rtp(sequence: UInt16(sequence), timestamp: 0), to: "127.0.1.5", port: callerSide)
        }
        #expect(DTLSRelayTests.receiveMedia(1, on: caller).isEmpty)
        #expect(DTLSRelayTests.receiveMedia(1, on: callee).isEmpty)
        let report = try #require(try await session.reports().get().first)
        #expect(report.inbound.dtlsFailure == .fingerprintMismatch)
        #expect(report.outbound.dtlsFailure == nil)
        #expect(report.outbound.dropped == 5 && report.inbound.dropped == 5)
        #expect(report.inbound.rtpPackets == 0, "nothing from the caller counts as media")
        #expect(failures.withLockedValue { $0.count } == 1, "reported once")
        session.close()
        try await group.shutdownGracefully()
    }

    @Test func aPeerThatNeverAnswersTimesTheAssociationOut() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Short retransmission timeouts, so OpenSSL's limit of retransmissions is reached within a second.
        let context = try DTLSContext(
            certificate: try DTLSCertificate.generate(),
            configuration: DTLSConfiguration(
                initialRetransmissionTimeout: .milliseconds(20), maximumRetransmissionTimeout: .milliseconds(40)))
        let relay = MediaRelay(group: group, dtlsContext: context)
        let failures = NIOLockedValueBox<[DTLSLegFailure]>([])
        let session = relay.makeSession(
            inbound: Self.access, outbound: Self.interconnect,
            onDTLSFailure: { failure in failures.withLockedValue { $0.append(failure) } }, onSilence: {})
        let caller = try LoopbackUDPSocket(host: "127.0.1.7", port: 62_704)
        _ = try Self.anchorCall(
            session, callerPort: 62_704, fingerprint: try DTLSCertificate.generate().fingerprint,
            calleePort: 62_706)
        let failure = try #require(try await Self.firstFailure(failures, within: .seconds(5)))
        #expect(failure.error.code == .timedOut)
        #expect(failure.leg == .inbound)
        var clientHellos = 0
        while let received = caller.receive(timeout: .milliseconds(100)) {
            if MediaDatagramKind(classifying: received.datagram) == .dtls { clientHellos += 1 }
        }
        #expect(clientHellos > 3, "the ClientHello was retransmitted (\(clientHellos) seen)")
        let report = try #require(try await session.reports().get().first)
        #expect(report.inbound.dtlsFailure == .timedOut)
        #expect(failures.withLockedValue { $0.count } == 1)
        session.close()
        try await group.shutdownGracefully()
    }
}
