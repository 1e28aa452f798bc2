import Testing

@testable import SDP

/// `a=setup` roles (RFC 4145 §4, RFC 5763 §5) and `a=fingerprint` hash functions (RFC 8122 §5).
@Suite struct SetupNegotiationTests {
    @Test("the answerer's a=setup for each offer (RFC 5763 §5: active is RECOMMENDED for actpass)")
    func answerRole() {
        #expect(SetupRole.answer(toOffer: .actpass) == .active)
        #expect(SetupRole.answer(toOffer: .active) == .passive)
        #expect(SetupRole.answer(toOffer: .passive) == .active)
        #expect(SetupRole.answer(toOffer: .holdconn) == .holdconn)
        #expect(SetupRole.answer(toOffer: nil) == .passive, "an absent offer attribute means active (RFC 4145 §4)")
    }

    @Test("the DTLS client is whoever is active, seen from either side")
    func roles() throws {
        let cases: [(SetupRole?, SetupRole?, offerer: DTLSRole?)] = [
            (.actpass, .active, .server),
            (.actpass, .passive, .client),
            (.active, .passive, .client),
            (.passive, .active, .server),
            (nil, nil, .client),  // RFC 4145 defaults: offer active, answer passive
            (.actpass, nil, .client),
            (.actpass, .holdconn, nil),
            (.holdconn, .holdconn, nil),
        ]
        for (offer, answer, offerer) in cases {
            let local = try DTLSRole.negotiate(offer: offer, answer: answer, localIsOfferer: true)
            let remote = try DTLSRole.negotiate(offer: offer, answer: answer, localIsOfferer: false)
            #expect(local == offerer, "offer \(String(describing: offer)), answer \(String(describing: answer))")
            #expect(remote == offerer.map { $0 == .client ? .server : .client })
        }
    }

    @Test("impossible exchanges are typed errors, never a trap")
    func conflicts() {
        let cases: [(SetupRole?, SetupRole?, SetupNegotiationError.Code)] = [
            (.actpass, .actpass, .answerIsActpass),
            (.active, .actpass, .answerIsActpass),
            (.active, .active, .conflictingRoles),
            (.passive, .passive, .conflictingRoles),
            (.passive, nil, .conflictingRoles),
            (.holdconn, .active, .conflictingRoles),
        ]
        for (offer, answer, code) in cases {
            for localIsOfferer in [true, false] {
                let error = #expect(throws: SetupNegotiationError.self) {
                    _ = try DTLSRole.negotiate(offer: offer, answer: answer, localIsOfferer: localIsOfferer)
                }
                #expect(error?.code == code)
            }
        }
    }

    @Test("every RFC 8122 hash function is known with its digest length, compared case-insensitively")
    func hashAlgorithms() {
        let sha1 = Fingerprint(hashFunction: "SHA-1", digest: [UInt8](repeating: 0xAB, count: 20))
        #expect(sha1.hashAlgorithm == .sha1)
        #expect(sha1.verifiableDigest?.digest.count == 20)
        for algorithm in FingerprintHashAlgorithm.allCases {
            let fingerprint = Fingerprint(
                hashFunction: algorithm.rawValue, digest: [UInt8](repeating: 1, count: algorithm.digestLength))
            #expect(Fingerprint(attributeValue: fingerprint.attributeValue)?.verifiableDigest?.algorithm == algorithm)
        }
        #expect(FingerprintHashAlgorithm.allCases.max() == .sha512)
        #expect(FingerprintHashAlgorithm.sha1 < .sha256 && FingerprintHashAlgorithm.md5 < .sha1)
        // Valid SDP, but no certificate can have it.
        #expect(Fingerprint(attributeValue: "sha-256 AB:CD")?.verifiableDigest == nil)
        #expect(Fingerprint(attributeValue: "sha-3 AB:CD")?.hashAlgorithm == nil)
    }

    @Test("a body with a malformed fingerprint or setup is rejected with bad-attribute on its line")
    func parserRejects() {
        for bad in ["a=fingerprint:sha-256", "a=fingerprint:sha-256 GG:00", "a=setup:sideways"] {
            let body =
                "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 UDP/TLS/RTP/SAVP 0\r\n\(bad)\r\n"
            let error = #expect(throws: SDPParseError.self) { _ = try SDPParser().parse(Array(body.utf8)) }
            #expect(error?.code == .badAttribute)
            #expect(error?.line == 6)
        }
    }
}
