import Media
import SDP
import TestSupport
import Testing

/// SDES-SRTP decisions of the anchor per leg setting (`off`, `optional`, `required`): what each leg's SDP says,
/// which keys the relay gets, when a description is refused (488), and that no key crosses the call.
@Suite struct SDESAnchorTests {
    static let callerKeys = (
        tag32: [UInt8](repeating: 0x11, count: 30), tag80: [UInt8](repeating: 0x22, count: 30)
    )
    static let calleeKey = [UInt8](repeating: 0x33, count: 30)

    static func description(
        _ host: String, port: UInt16 = 49_170, proto: TransportProtocol = .rtpAVP
    )
        throws -> SessionDescription
    {
        var sdp = try SessionDescription(
            parsing: "v=0\r\no=- 1 1 IN IP4 \(host)\r\ns=-\r\nc=IN IP4 \(host)\r\nt=0 0\r\n"
                + "m=audio \(port) RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\na=sendrecv\r\n")
        sdp.media[0].proto = proto
        return sdp
    }

    /// The caller's SRTP offer: `_32` first (tag 1), then `_80` (tag 2).
    static func srtpOffer() throws -> SessionDescription {
        var sdp = try description("192.0.2.1", proto: .rtpSAVP)
        sdp.media[0].attributes.crypto = [
            CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag32, keySalt: callerKeys.tag32),
            CryptoAttribute(tag: 2, suite: .aesCM128HMACSHA1Tag80, keySalt: callerKeys.tag80),
        ]
        return sdp
    }

    static func anchor(
        _ inbound: SRTPMode, _ outbound: SRTPMode, inboundSuites: [SRTPCryptoSuite] = []
    )
        -> SDPAnchor
    {
        SDPAnchor(
            inbound: "203.0.113.10", outbound: "198.51.100.10",
            srtp: [
                .inbound: SRTPSettings(mode: inbound, suites: inboundSuites), .outbound: SRTPSettings(mode: outbound),
            ],
            random: SeededGenerator(seed: 7))
    }

    static func rewrite(
        _ anchor: inout SDPAnchor, _ sdp: SessionDescription, from leg: MediaLeg, _ role: SDPRole
    ) throws(MediaAnchorError) -> (description: SessionDescription, signals: [StreamSignal]) {
        var next: UInt16 = 20_000
        return try anchor.rewrite(sdp, from: leg, role: role) { _ in
            next += 2
            return next
        }
    }

    static func inlineKey(_ bytes: [UInt8]) -> String {
        CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag80, keySalt: bytes).keyParameters[0].keySalt
    }

    /// SDES on the access leg, plain RTP on the interconnect: the callee sees plain RTP and no key, the caller an
    /// answer with the tag of the suite Gatehouse prefers (`_80` before `_32` by default) and Gatehouse's own key.
    @Test func srtpCallerToPlainCallee() throws {
        var anchor = Self.anchor(.required, .off)
        let (offer, offerSignals) = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        #expect(offer.media[0].proto == .rtpAVP)
        #expect(offer.media[0].attributes.crypto.isEmpty)
        let callerKeying = try #require(offerSignals[0].srtp)
        #expect(callerKeying.suite == .aesCM128HMACSHA1Tag80, "Gatehouse's preferred suite among the offer's")
        #expect(callerKeying.remote.keySalt == Self.callerKeys.tag80)
        #expect(callerKeying.local.keySalt != Self.callerKeys.tag80)

        let (answer, answerSignals) = try Self.rewrite(
            &anchor, Self.description("198.51.100.7"), from: .outbound, .answer)
        #expect(answerSignals[0].srtp == nil, "the callee's leg is plain")
        #expect(answer.media[0].proto == .rtpSAVP)
        let line = try #require(answer.media[0].attributes.crypto.first)
        #expect(answer.media[0].attributes.crypto.count == 1)
        #expect(line.tag == 2 && line.suite == .aesCM128HMACSHA1Tag80)
        #expect(try line.inlineKeySalt() == callerKeying.local.keySalt, "the relay protects with the key it sent")

        let offerText = offer.serialized()
        let answerText = answer.serialized()
        for key in [Self.callerKeys.tag32, Self.callerKeys.tag80] {
            #expect(!offerText.contains(Self.inlineKey(key)), "the caller's key never reaches the callee")
            #expect(!answerText.contains(Self.inlineKey(key)), "nor comes back")
        }
    }

    /// Plain RTP from the caller, SRTP required toward the callee: Gatehouse offers its own lines, one per suite,
    /// and takes the key of the line the callee's answer picks.
    @Test func plainCallerToSRTPCallee() throws {
        var anchor = Self.anchor(.off, .required)
        let (offer, offerSignals) = try Self.rewrite(&anchor, Self.description("192.0.2.1"), from: .inbound, .offer)
        #expect(offerSignals[0].srtp == nil)
        #expect(offer.media[0].proto == .rtpSAVP)
        let lines = offer.media[0].attributes.crypto
        #expect(lines.map(\.tag) == [1, 2, 3])
        #expect(lines.map(\.suite) == SRTPCryptoSuite.defaultPreference.map(\.sdpName))
        let keys = try lines.map { try $0.inlineKeySalt() }
        #expect(Set(keys).count == 3, "a key per line")

        var calleeAnswer = try Self.description("198.51.100.7", proto: .rtpSAVP)
        calleeAnswer.media[0].attributes.crypto = [
            CryptoAttribute(tag: 2, suite: .aesCM128HMACSHA1Tag32, keySalt: Self.calleeKey)
        ]
        let (answer, answerSignals) = try Self.rewrite(&anchor, calleeAnswer, from: .outbound, .answer)
        let keying = try #require(answerSignals[0].srtp)
        #expect(keying.suite == .aesCM128HMACSHA1Tag32)
        #expect(keying.remote.keySalt == Self.calleeKey)
        #expect(keying.local.keySalt == keys[1], "Gatehouse's key of line 2")
        #expect(answer.media[0].proto == .rtpAVP)
        #expect(answer.media[0].attributes.crypto.isEmpty)
        #expect(!answer.serialized().contains(Self.inlineKey(Self.calleeKey)))
    }

    @Test func aPlainOfferOnARequiredLegIsRefused() throws {
        var anchor = Self.anchor(.required, .off)
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&anchor, Self.description("192.0.2.1"), from: .inbound, .offer)
        }
        #expect(error?.code == .srtpRequired)
        #expect(error?.status == 488)
    }

    @Test func anSRTPOnlyOfferOnAnOffLegIsRefused() throws {
        var anchor = Self.anchor(.off, .off)
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        }
        #expect(error?.code == .srtpNotAllowed)
        #expect(error?.status == 488)
    }

    /// Best-effort SRTP (`RTP/AVP` with `a=crypto`) on an `off` leg is taken as plain RTP; the key stays behind.
    @Test func cryptoOnAPlainOfferIsIgnoredWhereSRTPIsOff() throws {
        var anchor = Self.anchor(.off, .off)
        var sdp = try Self.srtpOffer()
        sdp.media[0].proto = .rtpAVP
        let (offer, signals) = try Self.rewrite(&anchor, sdp, from: .inbound, .offer)
        #expect(signals[0].srtp == nil)
        #expect(offer.media[0].attributes.crypto.isEmpty)
        #expect(offer.media[0].proto == .rtpAVP)
    }

    @Test(arguments: [
        "1 F8_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
        "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
        "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^20|1:4",
        "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd UNENCRYPTED_SRTP",
    ])
    func anOfferWithoutAcceptableCryptoIsRefused(line: String) throws {
        var anchor = Self.anchor(.optional, .off)
        var sdp = try Self.srtpOffer()
        sdp.media[0].attributes.crypto = [try #require(CryptoAttribute(attributeValue: line))]
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&anchor, sdp, from: .inbound, .offer)
        }
        #expect(error?.code == .noAcceptableCrypto)
        #expect(error?.status == 488)
    }

    /// `optional` takes the offer as it comes and offers the other leg the same: SRTP for SRTP, plain for plain.
    @Test func optionalFollowsTheOffer() throws {
        var anchor = Self.anchor(.optional, .optional)
        let (secure, secureSignals) = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        #expect(secureSignals[0].srtp != nil)
        #expect(secure.media[0].proto == .rtpSAVP)
        #expect(secure.media[0].attributes.crypto.count == 3)

        var other = Self.anchor(.optional, .optional)
        let (plain, plainSignals) = try Self.rewrite(&other, Self.description("192.0.2.1"), from: .inbound, .offer)
        #expect(plainSignals[0].srtp == nil)
        #expect(plain.media[0].proto == .rtpAVP)
        #expect(plain.media[0].attributes.crypto.isEmpty)
    }

    @Test func theLegsSuitesDecideWhichLineIsTaken() throws {
        var anchor = Self.anchor(.required, .off, inboundSuites: [.aesCM128HMACSHA1Tag32, .aesCM128HMACSHA1Tag80])
        let (_, signals) = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        #expect(signals[0].srtp?.suite == .aesCM128HMACSHA1Tag32)
        #expect(signals[0].srtp?.remote.keySalt == Self.callerKeys.tag32)

        var gcmOnly = Self.anchor(.required, .off, inboundSuites: [.aeadAES128GCM])
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&gcmOnly, Self.srtpOffer(), from: .inbound, .offer)
        }
        #expect(error?.code == .noAcceptableCrypto, "a suite the leg does not allow is not taken")
    }

    @Test func anAnswerWithATagGatehouseDidNotOfferIsRefused() throws {
        var anchor = Self.anchor(.off, .required)
        _ = try Self.rewrite(&anchor, Self.description("192.0.2.1"), from: .inbound, .offer)
        var calleeAnswer = try Self.description("198.51.100.7", proto: .rtpSAVP)
        calleeAnswer.media[0].attributes.crypto = [
            CryptoAttribute(tag: 9, suite: .aesCM128HMACSHA1Tag80, keySalt: Self.calleeKey)
        ]
        let error = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&anchor, calleeAnswer, from: .outbound, .answer)
        }
        #expect(error?.code == .noAcceptableCrypto)

        let plainAnswer = try Self.description("198.51.100.7")
        let plainError = #expect(throws: MediaAnchorError.self) {
            _ = try Self.rewrite(&anchor, plainAnswer, from: .outbound, .answer)
        }
        #expect(plainError?.code == .srtpRequired)
    }

    /// SRTP on both legs: a re-INVITE with a new key re-keys only the leg that changed it; Gatehouse's own keys
    /// stay, and hold (`a=sendonly`) keeps the keys as they were.
    @Test func reInvitesReKeyOnlyWhatChanged() throws {
        var anchor = Self.anchor(.required, .required)
        let (offer, first) = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        var calleeAnswer = try Self.description("198.51.100.7", proto: .rtpSAVP)
        calleeAnswer.media[0].attributes.crypto = [
            CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag80, keySalt: Self.calleeKey)
        ]
        let (answer, calleeFirst) = try Self.rewrite(&anchor, calleeAnswer, from: .outbound, .answer)
        #expect(calleeFirst[0].srtp?.remote.keySalt == Self.calleeKey)

        var rekey = try Self.srtpOffer()
        rekey.origin.incrementVersion()
        let newKey = [UInt8](repeating: 0x44, count: 30)
        rekey.media[0].attributes.crypto = [
            CryptoAttribute(tag: 2, suite: .aesCM128HMACSHA1Tag80, keySalt: newKey)
        ]
        let (reoffer, second) = try Self.rewrite(&anchor, rekey, from: .inbound, .offer)
        #expect(second[0].srtp?.remote.keySalt == newKey)
        #expect(second[0].srtp?.local == first[0].srtp?.local, "Gatehouse keeps its key toward the caller")
        #expect(reoffer.media[0].attributes.crypto == offer.media[0].attributes.crypto, "and toward the callee")
        let (reanswer, calleeSecond) = try Self.rewrite(&anchor, calleeAnswer, from: .outbound, .answer)
        #expect(calleeSecond[0].srtp == calleeFirst[0].srtp)
        #expect(reanswer.media[0].attributes.crypto == answer.media[0].attributes.crypto)
        #expect(!reoffer.serialized().contains(Self.inlineKey(newKey)))

        var hold = rekey
        hold.media[0].attributes.direction = .sendonly
        let (held, third) = try Self.rewrite(&anchor, hold, from: .inbound, .offer)
        #expect(third[0].srtp == second[0].srtp)
        #expect(held.media[0].attributes.direction == .sendonly)
        #expect(!third[0].expectsMedia)
    }

    /// A stream the leg's SRTP setting refuses is disabled; the others go on.
    @Test func onlyTheRefusedStreamIsDisabled() throws {
        var anchor = Self.anchor(.required, .off)
        var sdp = try Self.srtpOffer()
        var video = try Self.description("192.0.2.1", port: 49_180).media[0]
        video.type = .video
        sdp.media.append(video)
        let (offer, signals) = try Self.rewrite(&anchor, sdp, from: .inbound, .offer)
        #expect(offer.media[0].port != 0)
        #expect(offer.media[1].port == 0, "plain video on a required leg")
        #expect(signals[0].srtp != nil)
    }

    /// Gatehouse's own session refresh toward the caller re-offers the answer it sent there (Gatehouse's key under
    /// the caller's tag); the caller answers with a new key of its own, which the relay takes up, while Gatehouse
    /// keeps its key. An answer with a tag Gatehouse's description did not carry is refused.
    @Test func aRefreshAnswerWithANewKeyReKeysTheLeg() throws {
        var anchor = Self.anchor(.required, .off)
        let (_, offerSignals) = try Self.rewrite(&anchor, Self.srtpOffer(), from: .inbound, .offer)
        let callerKeying = try #require(offerSignals[0].srtp)
        let (answer, _) = try Self.rewrite(&anchor, Self.description("198.51.100.7"), from: .outbound, .answer)

        anchor.reoffer(answer, toward: .inbound)
        let newKey = [UInt8](repeating: 0x44, count: 30)
        var refreshAnswer = try Self.description("192.0.2.1", proto: .rtpSAVP)
        refreshAnswer.media[0].attributes.crypto = [
            CryptoAttribute(tag: 2, suite: .aesCM128HMACSHA1Tag80, keySalt: newKey)
        ]
        let (_, signals) = try Self.rewrite(&anchor, refreshAnswer, from: .inbound, .answer)
        let keying = try #require(signals[0].srtp)
        #expect(keying.remote.keySalt == newKey, "the caller's new key")
        #expect(keying.local == callerKeying.local, "Gatehouse's key stays")

        anchor.reoffer(answer, toward: .inbound)
        refreshAnswer.media[0].attributes.crypto = [
            CryptoAttribute(tag: 1, suite: .aesCM128HMACSHA1Tag32, keySalt: Self.callerKeys.tag32)
        ]
        #expect(throws: MediaAnchorError.self) {
            try Self.rewrite(&anchor, refreshAnswer, from: .inbound, .answer)
        }
    }
}
