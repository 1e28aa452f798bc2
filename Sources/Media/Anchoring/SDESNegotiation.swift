import SDP

/// SDES-SRTP (RFC 4568) on an anchored call, one leg at a time (pure): Gatehouse terminates SRTP on each leg with
/// keys of its own, so an `a=crypto` line never crosses the call. From each leg's offer it takes the line of the
/// suite it prefers most (the order of the leg's `suites`) among those it can key, the offerer's first line of
/// that suite, and answers that tag with its own key; toward a leg it offers its own lines, one per allowed suite
/// in that order, and takes the tag the answer picks.
///
/// What a leg's `SRTPMode` makes of it:
///
/// | leg mode | an offer from the leg | Gatehouse's offer toward the leg |
/// |---|---|---|
/// | `off` | `RTP/AVP` taken plain (any `a=crypto` ignored); `RTP/SAVP` refused | `RTP/AVP`, no `a=crypto` |
/// | `optional` | `RTP/SAVP` with an acceptable key taken as SRTP; `RTP/AVP` plain | as the other leg's offer was |
/// | `required` | only `RTP/SAVP` with an acceptable key | `RTP/SAVP` with Gatehouse's keys |
///
/// A stream refused here is disabled (port 0) toward the other leg; a description left with no stream is refused
/// (488). Gatehouse's key for a leg, stream and suite is made once and kept for the call, so a re-INVITE changes
/// only what the far end changed (its own key: a re-key; a suite). DTLS-SRTP lines (`UDP/TLS/RTP/SAVP`) are not
/// SDES: `DTLSNegotiation` takes them, and `SDPAnchor` decides which of the two writes an offer.
struct SDESNegotiation: Sendable {
    var settings: [MediaLeg: SRTPSettings]
    private var random: any RandomNumberGenerator & Sendable
    /// Gatehouse's own keys, made on first use.
    private var localKeys: [LocalKeyID: SRTPMasterKey] = [:]
    /// The last offer a leg made, per stream: its proto and the line Gatehouse took (nil: plain).
    private var offersFrom: [MediaLeg: [Int: OfferRecord]] = [:]
    /// The lines Gatehouse offered toward a leg, per stream: tag → suite (empty: a plain offer).
    private var offeredToward: [MediaLeg: [Int: [UInt32: SRTPCryptoSuite]]] = [:]

    private struct LocalKeyID: Hashable {
        var leg: MediaLeg
        var stream: Int
        var suite: SRTPCryptoSuite
    }

    private struct OfferRecord: Sendable {
        var proto: TransportProtocol
        var taken: (tag: UInt32, suite: SRTPCryptoSuite)?
    }

    init(settings: [MediaLeg: SRTPSettings], random: any RandomNumberGenerator & Sendable) {
        self.settings = settings
        self.random = random
    }

    /// Whether SDES applies to the line at all: RTP that is not keyed by DTLS, and not rejected.
    static func applies(to media: MediaDescription) -> Bool {
        media.port != 0 && media.proto.isRTP && !media.proto.usesDTLS
    }

    // MARK: An offer crossing from `leg`

    /// Takes stream `index` of an offer from `leg`: the keying for `leg` (nil: plain), or the reason the stream
    /// cannot be taken on that leg.
    mutating func takeOffer(
        _ media: MediaDescription, index: Int, from leg: MediaLeg
    ) -> Result<SRTPKeying?, MediaAnchorError> {
        offersFrom[leg, default: [:]][index] = OfferRecord(proto: media.proto, taken: nil)
        guard Self.applies(to: media) else { return .success(nil) }
        let setting = settings[leg] ?? SRTPSettings()
        let secure = media.proto.isSecureRTP
        switch (setting.mode, secure) {
        case (.off, false), (.optional, false):
            return .success(nil)
        case (.off, true):
            return .failure(
                MediaAnchorError(
                    .srtpNotAllowed, status: 488, detail: "SRTP is off on the \(leg) leg and its offer is SRTP only"))
        case (.required, false):
            return .failure(
                MediaAnchorError(.srtpRequired, status: 488, detail: "SRTP is required on the \(leg) leg"))
        case (.optional, true), (.required, true):
            guard setting.keyExchanges.contains(.sdes) else {
                return .failure(
                    MediaAnchorError(
                        .srtpNotAllowed, status: 488, detail: "SDES-SRTP is not allowed on the \(leg) leg"))
            }
            let lines = media.attributes.crypto
            for suite in setting.suites {
                for line in lines where SRTPCryptoSuite(line.suite) == suite {
                    guard let bytes = try? line.inlineKeySalt(),
                        let remote = SRTPMasterKey(suite: suite, keySalt: bytes)
                    else { continue }
                    offersFrom[leg, default: [:]][index]?.taken = (line.tag, suite)
                    return .success(SRTPKeying(remote: remote, local: localKey(leg, index, suite)))
                }
            }
            return .failure(
                MediaAnchorError(
                    .noAcceptableCrypto, status: 488,
                    detail: "No acceptable a=crypto from the \(leg) leg (taken: "
                        + setting.suites.map(\.rawValue).joined(separator: ", ") + ")"))
        }
    }

    /// Whether the last offer from `leg` on stream `index` was SDES-SRTP that Gatehouse took.
    func tookSecureOffer(from leg: MediaLeg, index: Int) -> Bool {
        offersFrom[leg]?[index]?.taken != nil
    }

    /// Writes Gatehouse's offer for stream `index` toward `leg`: `RTP/SAVP` with its own `a=crypto` lines when
    /// `secure` (`SDPAnchor` decides, from the leg's mode and the other leg's offer), else plain `RTP/AVP`.
    mutating func writeOffer(_ media: inout MediaDescription, index: Int, toward leg: MediaLeg, secure: Bool) {
        guard media.proto.isRTP else { return }
        media.attributes.crypto = []
        offeredToward[leg, default: [:]][index] = [:]
        let setting = settings[leg] ?? SRTPSettings()
        media.proto = secure ? media.proto.secured : media.proto.plain
        guard secure, media.port != 0 else { return }
        var lines: [CryptoAttribute] = []
        var tags: [UInt32: SRTPCryptoSuite] = [:]
        for (position, suite) in setting.suites.enumerated() {
            let tag = UInt32(position + 1)
            tags[tag] = suite
            lines.append(
                CryptoAttribute(tag: tag, suite: suite.sdpName, keySalt: localKey(leg, index, suite).keySalt))
        }
        media.attributes.crypto = lines
        offeredToward[leg, default: [:]][index] = tags
    }

    /// Gatehouse sends a description of its own toward `leg` again, as an offer (a session refresh, RFC 4028):
    /// its `a=crypto` lines carry Gatehouse's keys for the leg under the tags it used then, so the answer may
    /// pick any of them, with a new key of the far end's (RFC 4568 §7.1.4).
    mutating func takeReoffer(_ media: MediaDescription, index: Int, toward leg: MediaLeg) {
        guard media.proto.isRTP else { return }
        var tags: [UInt32: SRTPCryptoSuite] = [:]
        if media.port != 0, media.proto.isSecureRTP {
            for line in media.attributes.crypto {
                if let suite = SRTPCryptoSuite(line.suite) { tags[line.tag] = suite }
            }
        }
        offeredToward[leg, default: [:]][index] = tags
    }

    // MARK: An answer crossing from `leg`

    /// Takes stream `index` of `leg`'s answer to Gatehouse's offer: the keying for `leg` (nil: plain). Throws when
    /// the answer does not fit the offer (SRTP without a key Gatehouse offered, plain where SRTP is required).
    mutating func takeAnswer(
        _ media: MediaDescription, index: Int, from leg: MediaLeg
    ) throws(MediaAnchorError) -> SRTPKeying? {
        guard Self.applies(to: media) else { return nil }
        let offered = offeredToward[leg]?[index] ?? [:]
        let setting = settings[leg] ?? SRTPSettings()
        guard media.proto.isSecureRTP, !offered.isEmpty else {
            if media.proto.isSecureRTP {
                throw MediaAnchorError(
                    .noAcceptableCrypto, status: 488, detail: "The \(leg) leg answered SRTP to a plain offer")
            }
            if setting.mode == .required {
                throw MediaAnchorError(
                    .srtpRequired, status: 488, detail: "SRTP is required on the \(leg) leg; its answer is plain")
            }
            return nil
        }
        for line in media.attributes.crypto {
            guard let suite = offered[line.tag], SRTPCryptoSuite(line.suite) == suite,
                let bytes = try? line.inlineKeySalt(), let remote = SRTPMasterKey(suite: suite, keySalt: bytes)
            else { continue }
            return SRTPKeying(remote: remote, local: localKey(leg, index, suite))
        }
        throw MediaAnchorError(
            .noAcceptableCrypto, status: 488, detail: "The \(leg) leg's answer has no a=crypto Gatehouse offered")
    }

    /// Writes Gatehouse's answer for stream `index` toward `leg`, which made the offer: the proto it offered and,
    /// when Gatehouse took one of its lines, that tag with Gatehouse's own key.
    mutating func writeAnswer(_ media: inout MediaDescription, index: Int, toward leg: MediaLeg) {
        guard media.proto.isRTP else { return }
        media.attributes.crypto = []
        guard let record = offersFrom[leg]?[index] else { return }
        media.proto = record.proto
        guard media.port != 0, let taken = record.taken else { return }
        media.attributes.crypto = [
            CryptoAttribute(
                tag: taken.tag, suite: taken.suite.sdpName, keySalt: localKey(leg, index, taken.suite).keySalt)
        ]
    }

    /// Gatehouse's key on `leg` for stream `index` and `suite`, made the first time it is needed.
    private mutating func localKey(_ leg: MediaLeg, _ index: Int, _ suite: SRTPCryptoSuite) -> SRTPMasterKey {
        let id = LocalKeyID(leg: leg, stream: index, suite: suite)
        if let key = localKeys[id] { return key }
        let key = SRTPMasterKey.random(for: suite, using: &random)
        localKeys[id] = key
        return key
    }
}

extension TransportProtocol {
    /// The SDES-SRTP profile of the same transport: `RTP/AVP` or `UDP/TLS/RTP/SAVP` → `RTP/SAVP`, with feedback
    /// `RTP/SAVPF`.
    var secured: TransportProtocol {
        hasFeedback ? .rtpSAVPF : .rtpSAVP
    }

    /// The plain RTP profile of the same transport: `RTP/SAVP` or `UDP/TLS/RTP/SAVP` → `RTP/AVP`, with feedback
    /// `RTP/AVPF`.
    var plain: TransportProtocol {
        hasFeedback ? .rtpAVPF : .rtpAVP
    }

    /// The DTLS-SRTP profile of the same transport: `UDP/TLS/RTP/SAVP`, or `UDP/TLS/RTP/SAVPF` with feedback.
    var dtlsSecured: TransportProtocol {
        hasFeedback ? .udpTLSRTPSAVPF : .udpTLSRTPSAVP
    }
}
