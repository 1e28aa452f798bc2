import Media
import SDP
import TestSupport
import Testing

/// Two associations handshaking in memory: keys, fingerprints, profiles, record sizes.
@Suite("DTLS-SRTP handshake")
struct DTLSHandshakeTests {
    @Test("client and server connect and hold the same keys crosswise (RFC 5764 §4.2)")
    func keysMatchCrosswise() throws {
        let pair = try DTLSPair()
        pair.run()
        let client = try #require(pair.client.state.keys, "client: \(pair.client.state)")
        let server = try #require(pair.server.state.keys, "server: \(pair.server.state)")
        #expect(client.profile == .aes128CMSHA1Tag80)
        #expect(server.profile == .aes128CMSHA1Tag80)
        #expect(client.localKey == server.remoteKey)
        #expect(client.localSalt == server.remoteSalt)
        #expect(client.remoteKey == server.localKey)
        #expect(client.remoteSalt == server.localSalt)
        #expect(client.localKey.count == 16 && client.localSalt.count == 14)
        #expect(client.localKey != client.remoteKey, "each direction has its own key")
        #expect(pair.client.retransmissionTimeout == nil, "nothing left to retransmit")
    }

    @Test("every datagram of the handshake is a DTLS record within the MTU")
    func datagramsFitTheMTU() throws {
        let pair = try DTLSPair(configuration: DTLSConfiguration(mtu: 300))
        let sent = pair.run()
        #expect(pair.client.state.keys != nil && pair.server.state.keys != nil)
        #expect(sent.count > 6, "a 300-byte MTU cuts the certificate flights into several datagrams")
        for datagram in sent {
            #expect(datagram.count <= 300)
            #expect(MediaDatagramKind(classifying: datagram) == .dtls)
        }
    }

    @Test("a certificate that does not match the SDP fingerprint fails the association (RFC 5763 §5)")
    func wrongFingerprint() throws {
        let stranger = try DTLSCertificate.generate().fingerprint
        let pair = try DTLSPair(clientExpects: [stranger])
        pair.run()
        #expect(pair.client.state.errorCode == .fingerprintMismatch)
        #expect(pair.server.state.keys == nil, "the server never gets keys from a refused handshake")
        #expect(pair.client.receive([22, 254, 253]).isEmpty, "a failed association stays silent")
    }

    @Test("the server checks the client's certificate too")
    func wrongClientFingerprint() throws {
        let stranger = try DTLSCertificate.generate().fingerprint
        let pair = try DTLSPair(serverExpects: [stranger])
        pair.run()
        #expect(pair.server.state.errorCode == .fingerprintMismatch)
        #expect(pair.client.state.keys == nil)
    }

    @Test("a handshake done before the answer waits for the fingerprint, then connects (RFC 5763 §5)")
    func lateFingerprint() throws {
        let clientCertificate = try DTLSCertificate.generate()
        let serverContext = try DTLSContext(certificate: try DTLSCertificate.generate())
        let client = try DTLSAssociation(
            context: try DTLSContext(certificate: clientCertificate), role: .client,
            remoteFingerprints: [serverContext.certificate.fingerprint])
        // The offerer (actpass) is the server here and gets the ClientHello before the answer.
        let server = try DTLSAssociation(context: serverContext, role: .server)
        DTLSPair(client: client, server: server).run()
        #expect(server.state == .awaitingFingerprint)
        #expect(client.state.keys != nil)
        try server.expectRemoteFingerprints([clientCertificate.fingerprint])
        #expect(server.state.keys?.remoteKey == client.state.keys?.localKey)
    }

    @Test("a late fingerprint that does not match fails the association")
    func lateWrongFingerprint() throws {
        let pair = try DTLSPair(serverExpects: [])
        pair.run()
        #expect(pair.server.state == .awaitingFingerprint)
        try pair.server.expectRemoteFingerprints([try DTLSCertificate.generate().fingerprint])
        #expect(pair.server.state.errorCode == .fingerprintMismatch)
    }

    @Test("fingerprints none of which can be checked are refused up front")
    func unusableFingerprints() throws {
        let context = try DTLSContext(certificate: try DTLSCertificate.generate())
        let unusable = [
            Fingerprint(hashFunction: "sha-256", value: "AB:CD"),
            Fingerprint(hashFunction: "whirlpool", digest: [UInt8](repeating: 1, count: 64)),
            Fingerprint(hashFunction: "md2", digest: [UInt8](repeating: 1, count: 16)),
        ]
        #expect(throws: DTLSError.self) {
            _ = try DTLSAssociation(context: context, role: .client, remoteFingerprints: unusable)
        }
        let association = try DTLSAssociation(context: context, role: .server)
        #expect(throws: DTLSError.self) { try association.expectRemoteFingerprints(unusable) }
        #expect(association.state == .handshaking)
    }

    @Test("the strongest hash function among several fingerprints is the one checked (RFC 8122 §5)")
    func strongestFingerprintDecides() throws {
        let serverCertificate = try DTLSCertificate.generate()
        let right = serverCertificate.fingerprint
        // A SHA-1 fingerprint that cannot match does not matter next to a matching SHA-256 one …
        let weakWrong = Fingerprint(hashFunction: "sha-1", digest: [UInt8](repeating: 7, count: 20))
        var pair = try Self.pair(server: serverCertificate, clientExpects: [weakWrong, right])
        pair.run()
        #expect(pair.client.state.keys != nil)
        // … but a wrong SHA-512 one outranks the right SHA-256 one.
        let strongWrong = Fingerprint(hashFunction: "SHA-512", digest: [UInt8](repeating: 7, count: 64))
        pair = try Self.pair(server: serverCertificate, clientExpects: [right, strongWrong])
        pair.run()
        #expect(pair.client.state.errorCode == .fingerprintMismatch)
    }

    @Test("the profile is the server's first that the client offers (OpenSSL picks by server preference)")
    func profileNegotiation() throws {
        let pair = try DTLSPair(
            configuration: DTLSConfiguration(profiles: [.aeadAES128GCM, .aes128CMSHA1Tag32]),
            serverConfiguration: DTLSConfiguration(profiles: [.aes128CMSHA1Tag80, .aes128CMSHA1Tag32, .aeadAES128GCM]))
        pair.run()
        let keys = try #require(pair.client.state.keys)
        #expect(pair.server.state.keys?.profile == keys.profile)
        #expect(keys.profile == .aes128CMSHA1Tag32)

        let gcm = try DTLSPair(configuration: DTLSConfiguration(profiles: [.aeadAES128GCM]))
        gcm.run()
        #expect(gcm.client.state.keys?.profile == .aeadAES128GCM)
        #expect(gcm.client.state.keys?.localSalt.count == 12)
    }

    @Test("no common SRTP profile fails the association instead of handing out keys (RFC 5764 §4.1.1)")
    func noCommonProfile() throws {
        let pair = try DTLSPair(
            configuration: DTLSConfiguration(profiles: [.aeadAES128GCM]),
            serverConfiguration: DTLSConfiguration(profiles: [.aes128CMSHA1Tag80]))
        pair.run()
        #expect(pair.client.state.keys == nil)
        #expect(pair.server.state.keys == nil)
        #expect(pair.client.state.errorCode != nil || pair.server.state.errorCode != nil)
    }

    @Test("close sends a close_notify that closes the peer")
    func closeNotify() throws {
        let pair = try DTLSPair()
        pair.run()
        let goodbye = pair.client.close()
        #expect(pair.client.state == .closed)
        #expect(!goodbye.isEmpty)
        for datagram in goodbye { _ = pair.server.receive(datagram) }
        #expect(pair.server.state == .closed)
        #expect(pair.client.close().isEmpty)
    }

    @Test("garbage and truncated records are dropped without failing the handshake (RFC 6347 §4.1.2.7)")
    func garbageIsIgnored() throws {
        let pair = try DTLSPair()
        var generator = SeededGenerator(seed: 5764)
        for length in [0, 1, 13, 14, 100, 1500] {
            var noise = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !noise.isEmpty { noise[0] = 22 }  // a handshake record type, so DTLS parses further
            #expect(pair.server.receive(noise).isEmpty)
            #expect(pair.server.state == .handshaking)
        }
        pair.run()
        #expect(pair.client.state.keys != nil)
        #expect(pair.server.receive([23, 254, 253, 0, 1, 0, 0, 0, 0, 0, 9, 0, 0]).isEmpty)
        #expect(pair.server.state.keys != nil)
    }

    @Test("flights cut into many datagrams complete when datagrams arrive reversed and twice")
    func reorderedAndDuplicated() async throws {
        let pair = try DTLSPair(
            configuration: DTLSConfiguration(
                mtu: 256, initialRetransmissionTimeout: .milliseconds(20),
                maximumRetransmissionTimeout: .milliseconds(40)))
        var toServer = pair.client.start()
        var toClient: [[UInt8]] = []
        var retransmissions = 0
        for _ in 0..<40 {
            if toServer.isEmpty, toClient.isEmpty {
                guard case .handshaking = pair.client.state else { break }
                // What reordering lost (a record of the next epoch before its ChangeCipherSpec), the timer recovers.
                try await Task.sleep(for: .milliseconds(25))
                toServer = pair.client.handleTimeout()
                toClient = pair.server.handleTimeout()
                retransmissions += 1
            }
            let deliverToServer = toServer.reversed() + toServer
            let deliverToClient = toClient.reversed() + toClient
            toClient = deliverToServer.flatMap { pair.server.receive($0) }
            toServer = deliverToClient.flatMap { pair.client.receive($0) }
        }
        #expect(pair.client.state.keys != nil, "client: \(pair.client.state)")
        #expect(pair.client.state.keys?.localKey == pair.server.state.keys?.remoteKey)
        #expect(retransmissions <= 3)
    }

    private static func pair(server certificate: DTLSCertificate, clientExpects: [Fingerprint]) throws -> DTLSPair {
        let clientContext = try DTLSContext(certificate: try DTLSCertificate.generate())
        return DTLSPair(
            client: try DTLSAssociation(context: clientContext, role: .client, remoteFingerprints: clientExpects),
            server: try DTLSAssociation(
                context: try DTLSContext(certificate: certificate), role: .server,
                remoteFingerprints: [clientContext.certificate.fingerprint]))
    }
}
