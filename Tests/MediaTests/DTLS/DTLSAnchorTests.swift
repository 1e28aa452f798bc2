import Media
import SDP
import TestSupport
import Testing

/// DTLS-SRTP decisions of the anchor: Gatehouse's fingerprint and `a=setup` toward each DTLS leg, the far end's
/// fingerprints and Gatehouse's role for the relay, nothing of either leg's DTLS toward the other, and 488 for
/// roles or key exchanges that cannot work.
@Suite struct DTLSAnchorTests {
    static let gatehouse = Fingerprint(hashFunction: "sha-256", digest: [UInt8](repeating: 0xAB, count: 32))
    static let caller = Fingerprint(hashFunction: "sha-256", digest: [UInt8](repeating: 0x11, count: 32))
    static let callee = Fingerprint(hashFunction: "sha-256", digest: [UInt8](repeating: 0x22, count: 32))

    static func description(
        _ host: String, proto: TransportProtocol = .rtpAVP, fingerprint: Fingerprint? = nil, setup: SetupRole? = nil
    ) throws -> SessionDescription {
        var sdp = try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio 49170 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n")
        sdp.media[0].proto = proto
        if let fingerprint { sdp.media[0].attributes.fingerprints = [fingerprint] }
        sdp.media[0].attributes.setup = setup
        return sdp
    }

    static func anchor(
        inbound: SRTPSettings, outbound: SRTPSettings = SRTPSettings()
    ) -> SDPAnchor {
        SDPAnchor(
            inbound: "203.0.113.10", outbound: "198.51.100.10", srtp: [.inbound: inbound, .outbound: outbound],
            random: SeededGenerator(seed: 3), dtlsFingerprint: gatehouse)
    }

    static func rewrite(
        _ anchor: inout SDPAnchor, _ sdp: SessionDescription, from leg: MediaLeg, _ role: SDPRole
    ) throws(MediaAnchorError) -> (description: SessionDescription, signals: [StreamSignal]) {
        var next: UInt16 = 30_000
        return try anchor.rewrite(sdp, from: leg, role: role) { _ in
            next += 2
            return next
        }
    }

    static let dtlsRequired = SRTPSettings(mode: .required, keyExchanges: [.dtls])

    @Test func aDTLSOfferIsAnsweredActiveWithGatehousesFingerprintAndNeverCrosses() throws {
        var anchor = Self.anchor(inbound: Self.dtlsRequired)
        let offer = try Self.description(
            "192.0.2.1", proto: .udpTLSRTPSAVP, fingerprint: Self.caller, setup: .actpass)
        let (toCallee, offerSignals) = try Self.rewrite(&anchor, offer, from: .inbound, .offer)
        #expect(toCallee.media[0].proto == .rtpAVP)
        #expect(toCallee.media[0].attributes.fingerprints.isEmpty)
        #expect(toCallee.media[0].attributes.setup == nil)
        #expect(!toCallee.serialized().contains("fingerprint"))
        #expect(offerSignals[0].dtls == DTLSLegSetup(role: .client, remoteFingerprints: [Self.caller]))
        #expect(offerSignals[0].srtp == nil)

        let answer = try Self.description("192.0.2.2")
        let (toCaller, answerSignals) = try Self.rewrite(&anchor, answer, from: .outbound, .answer)
        #expect(toCaller.media[0].proto == .udpTLSRTPSAVP)
        #expect(toCaller.media[0].attributes.fingerprints == [Self.gatehouse])
        #expect(toCaller.media[0].attributes.setup == .active)
        #expect(toCaller.media[0].attributes.crypto.isEmpty)
        #expect(answerSignals[0].dtls == nil, "the callee's leg is plain")
    }

    @Test func anActiveOfferMakesGatehouseTheServer() throws {
        var anchor = Self.anchor(inbound: Self.dtlsRequired)
        let offer = try Self.description("192.0.2.1", proto: .udpTLSRTPSAVP, fingerprint: Self.caller, setup: .active)
        let (_, signals) = try Self.rewrite(&anchor, offer, from: .inbound, .offer)
        #expect(signals[0].dtls?.role == .server)
        let (toCaller, _) = try Self.rewrite(&anchor, try Self.description("192.0.2.2"), from: .outbound, .answer)
        #expect(toCaller.media[0].attributes.setup == .passive)
    }

    @Test func gatehouseOffersActpassTowardADTLSLegAndTheAnswerSetsItsRole() throws {
        var anchor = Self.anchor(inbound: SRTPSettings(), outbound: Self.dtlsRequired)
        let (toCallee, _) = try Self.rewrite(&anchor, try Self.description("192.0.2.1"), from: .inbound, .offer)
        #expect(toCallee.media[0].proto == .udpTLSRTPSAVP)
        #expect(toCallee.media[0].attributes.fingerprints == [Self.gatehouse])
        #expect(toCallee.media[0].attributes.setup == .actpass)
        #expect(anchor.offersDTLS(toward: .outbound, index: 0))

        let answer = try Self.description("192.0.2.2", proto: .udpTLSRTPSAVP, fingerprint: Self.callee, setup: .active)
        let (toCaller, signals) = try Self.rewrite(&anchor, answer, from: .outbound, .answer)
        #expect(signals[0].dtls == DTLSLegSetup(role: .server, remoteFingerprints: [Self.callee]))
        #expect(toCaller.media[0].proto == .rtpAVP)
        #expect(toCaller.media[0].attributes.fingerprints.isEmpty)
        #expect(toCaller.media[0].attributes.setup == nil)
    }

    @Test func anActpassAnswerIs488() throws {
        var anchor = Self.anchor(inbound: SRTPSettings(), outbound: Self.dtlsRequired)
        _ = try Self.rewrite(&anchor, try Self.description("192.0.2.1"), from: .inbound, .offer)
        let answer = try Self.description(
            "192.0.2.2", proto: .udpTLSRTPSAVP, fingerprint: Self.callee, setup: .actpass)
        let error = #expect(throws: MediaAnchorError.self) {
            try Self.rewrite(&anchor, answer, from: .outbound, .answer)
        }
        #expect(error?.code == .dtlsSetupRefused)
        #expect(error?.status == 488)
    }

    @Test func aPlainAnswerToADTLSOfferIs488() throws {
        var anchor = Self.anchor(inbound: SRTPSettings(), outbound: Self.dtlsRequired)
        _ = try Self.rewrite(&anchor, try Self.description("192.0.2.1"), from: .inbound, .offer)
        let error = #expect(throws: MediaAnchorError.self) {
            try Self.rewrite(&anchor, try Self.description("192.0.2.2"), from: .outbound, .answer)
        }
        #expect(error?.status == 488)
    }

    @Test func aDTLSOfferWhereOnlySDESIsAllowedIs488() throws {
        var anchor = Self.anchor(inbound: SRTPSettings(mode: .optional, keyExchanges: [.sdes]))
        let offer = try Self.description("192.0.2.1", proto: .udpTLSRTPSAVP, fingerprint: Self.caller, setup: .actpass)
        let error = #expect(throws: MediaAnchorError.self) {
            try Self.rewrite(&anchor, offer, from: .inbound, .offer)
        }
        #expect(error?.code == .dtlsNotAllowed)
        #expect(error?.status == 488)
    }

    @Test func aDTLSOfferWithoutAFingerprintIs488() throws {
        var anchor = Self.anchor(inbound: Self.dtlsRequired)
        let offer = try Self.description("192.0.2.1", proto: .udpTLSRTPSAVP, setup: .actpass)
        let error = #expect(throws: MediaAnchorError.self) {
            try Self.rewrite(&anchor, offer, from: .inbound, .offer)
        }
        #expect(error?.code == .dtlsSetupRefused)
    }

    @Test func anOptionalLegGetsDTLSWhenTheOtherLegsOfferWasDTLS() throws {
        var anchor = Self.anchor(
            inbound: Self.dtlsRequired, outbound: SRTPSettings(mode: .optional, keyExchanges: [.dtls, .sdes]))
        let offer = try Self.description("192.0.2.1", proto: .udpTLSRTPSAVP, fingerprint: Self.caller, setup: .actpass)
        let (toCallee, _) = try Self.rewrite(&anchor, offer, from: .inbound, .offer)
        #expect(toCallee.media[0].proto == .udpTLSRTPSAVP)
        #expect(toCallee.media[0].attributes.fingerprints == [Self.gatehouse], "Gatehouse's, not the caller's")
        #expect(toCallee.media[0].attributes.setup == .actpass)
    }
}
