import Media
import SDP
import Testing

/// Lost flights and the caller-driven retransmission timer (RFC 6347 §4.2.4).
@Suite("DTLS retransmission")
struct DTLSRetransmissionTests {
    /// Short timeouts so a lost flight costs milliseconds; OpenSSL measures them on the system clock.
    static let fast = DTLSConfiguration(
        initialRetransmissionTimeout: .milliseconds(20), maximumRetransmissionTimeout: .milliseconds(40))

    @Test("a lost ClientHello is sent again by handleTimeout once its timeout has passed")
    func lostClientHello() async throws {
        // Long enough that "not yet due" holds on a loaded machine (OpenSSL counts under 15 ms left as due).
        let pair = try DTLSPair(configuration: DTLSConfiguration(initialRetransmissionTimeout: .milliseconds(150)))
        let hello = pair.client.start()
        #expect(!hello.isEmpty)
        let timeout = try #require(pair.client.retransmissionTimeout)
        #expect(timeout > .zero && timeout <= .milliseconds(150))
        #expect(pair.client.handleTimeout().isEmpty, "not yet due")
        try await Task.sleep(for: timeout + .milliseconds(5))
        let again = pair.client.handleTimeout()
        // The same handshake messages; only the record sequence numbers (in the 13-byte record headers) move on.
        #expect(again.map { $0.dropFirst(13) } == hello.map { $0.dropFirst(13) })
        #expect(again.map { $0.prefix(3) } == hello.map { $0.prefix(3) })
        pair.run(from: again)
        #expect(pair.client.state.keys != nil && pair.server.state.keys != nil)
    }

    @Test("a lost server flight is recovered by the client's retransmission")
    func lostServerFlight() async throws {
        let pair = try DTLSPair(configuration: Self.fast)
        // 0 ClientHello, 1 HelloVerifyRequest, 2 ClientHello with the cookie; the server's answer to that
        // (ServerHello … ServerHelloDone) is lost.
        pair.run(dropping: [DTLSPair.Flight(direction: .toClient, index: 3)])
        #expect(pair.client.state == .handshaking)
        try await Self.retransmitUntilConnected(pair)
    }

    @Test("a lost final server flight (ChangeCipherSpec, Finished) is sent again when the client repeats its own")
    func lostFinalFlight() async throws {
        let pair = try DTLSPair(configuration: Self.fast)
        // 0 ClientHello, 1 HelloVerifyRequest, 2 ClientHello with the cookie, 3 server hello flight, 4 client's
        // certificate … Finished, 5 server's CCS + Finished.
        pair.run(dropping: [DTLSPair.Flight(direction: .toClient, index: 5)])
        #expect(pair.server.state.keys != nil, "the server is done after its last flight")
        #expect(pair.client.state == .handshaking)
        try await Self.retransmitUntilConnected(pair)
        #expect(pair.client.state.keys?.localKey == pair.server.state.keys?.remoteKey)
    }

    @Test("an unanswered client gives up with timedOut after OpenSSL's retransmission limit")
    func givesUp() async throws {
        let context = try DTLSContext(
            certificate: try DTLSCertificate.generate(),
            configuration: DTLSConfiguration(
                initialRetransmissionTimeout: .milliseconds(1), maximumRetransmissionTimeout: .milliseconds(20)))
        let client = try DTLSAssociation(context: context, role: .client)
        #expect(client.start().count == 1)
        var retransmissions = 0
        for _ in 0..<100 {
            guard case .handshaking = client.state else { break }
            try await Task.sleep(for: client.retransmissionTimeout ?? .milliseconds(20))
            if !client.handleTimeout().isEmpty { retransmissions += 1 }
        }
        #expect(client.state.errorCode == .timedOut, "\(client.state)")
        #expect(retransmissions >= 10, "OpenSSL allows 12 before it gives up")
        #expect(client.retransmissionTimeout == nil)
        #expect(client.handleTimeout().isEmpty)
    }

    /// Waits out the client's timer and retransmits, delivering each retransmission, until it connects.
    private static func retransmitUntilConnected(_ pair: DTLSPair) async throws {
        for _ in 0..<20 {
            guard case .handshaking = pair.client.state else { break }
            let timeout = try #require(pair.client.retransmissionTimeout)
            try await Task.sleep(for: timeout + .milliseconds(2))
            let flight = pair.client.handleTimeout()
            if !flight.isEmpty { pair.run(from: flight) }
        }
        #expect(pair.client.state.keys != nil, "client: \(pair.client.state)")
        #expect(pair.server.state.keys != nil, "server: \(pair.server.state)")
    }
}
