import SDP

/// DTLS-SRTP (RFC 5763) on an anchored call, one leg at a time (pure): like SDES, Gatehouse terminates it on each
/// leg with its own certificate, so a far end's `a=fingerprint` and `a=setup` never cross the call.
///
/// An offer from a leg (`UDP/TLS/RTP/SAVP`) is taken when the leg's settings allow DTLS: Gatehouse answers with
/// its fingerprint and the role `SetupRole.answer(toOffer:)` picks (`active` for `actpass`, so Gatehouse opens
/// the association). Toward a leg whose first key exchange is DTLS, Gatehouse offers its fingerprint and
/// `actpass`, and the leg's answer settles the roles. Roles that cannot form an association, fingerprints
/// Gatehouse cannot check, or an answer that drops DTLS are refused (488).
struct DTLSNegotiation: Sendable {
    var settings: [MediaLeg: SRTPSettings]
    /// Gatehouse's certificate fingerprint; nil when the node has no DTLS context, so DTLS is neither offered nor
    /// taken.
    let localFingerprint: Fingerprint?
    /// The `a=setup` of the last DTLS offer from a leg, per stream (nil inside: absent, RFC 4145's `active`).
    private var offersFrom: [MediaLeg: [Int: OfferRecord]] = [:]
    /// The streams Gatehouse last offered DTLS on toward a leg.
    private var offeredToward: [MediaLeg: Set<Int>] = [:]

    private struct OfferRecord: Sendable {
        var proto: TransportProtocol
        var setup: SetupRole?
    }

    init(settings: [MediaLeg: SRTPSettings], localFingerprint: Fingerprint?) {
        self.settings = settings
        self.localFingerprint = localFingerprint
    }

    /// Whether the line is DTLS-keyed RTP that is not rejected.
    static func applies(to media: MediaDescription) -> Bool {
        media.port != 0 && media.proto.isRTP && media.proto.usesDTLS
    }

    /// Whether the last offer from `leg` on stream `index` was DTLS-SRTP that Gatehouse took.
    func tookOffer(from leg: MediaLeg, index: Int) -> Bool {
        offersFrom[leg]?[index] != nil
    }

    /// Whether Gatehouse's last offer toward `leg` on stream `index` was DTLS-SRTP.
    func offered(toward leg: MediaLeg, index: Int) -> Bool {
        offeredToward[leg]?.contains(index) ?? false
    }

    /// Whether Gatehouse can offer DTLS toward `leg` (a certificate, and DTLS first in the leg's exchanges).
    func prefersDTLS(toward leg: MediaLeg) -> Bool {
        localFingerprint != nil && (settings[leg] ?? SRTPSettings()).offeredKeyExchange == .dtls
    }

    // MARK: An offer crossing from `leg`

    /// Takes stream `index` of an offer from `leg` (`session` for session-level attributes): the leg's DTLS setup
    /// (nil: the line is not DTLS), or why the leg cannot have it.
    mutating func takeOffer(
        _ media: MediaDescription, index: Int, from leg: MediaLeg, in session: SessionDescription
    ) -> Result<DTLSLegSetup?, MediaAnchorError> {
        offersFrom[leg, default: [:]][index] = nil
        guard Self.applies(to: media) else { return .success(nil) }
        let setting = settings[leg] ?? SRTPSettings()
        guard setting.mode != .off, setting.keyExchanges.contains(.dtls), localFingerprint != nil else {
            return .failure(
                MediaAnchorError(.dtlsNotAllowed, status: 488, detail: "DTLS-SRTP is not allowed on the \(leg) leg"))
        }
        let offered = media.attributes.setup ?? session.attributes.setup
        let result = Self.setup(
            media, in: session, from: leg, offer: offered, answer: SetupRole.answer(toOffer: offered),
            localIsOfferer: false)
        if case .success = result {
            offersFrom[leg, default: [:]][index] = OfferRecord(proto: media.proto, setup: offered)
        }
        return result.map { Optional($0) }
    }

    /// Writes Gatehouse's DTLS offer for stream `index` toward `leg`: the DTLS proto, its fingerprint, `actpass`.
    mutating func writeOffer(_ media: inout MediaDescription, index: Int, toward leg: MediaLeg) {
        guard media.proto.isRTP, let localFingerprint else { return }
        offeredToward[leg, default: []].insert(index)
        media.proto = media.proto.dtlsSecured
        guard media.port != 0 else { return }
        media.attributes.fingerprints = [localFingerprint]
        media.attributes.setup = .actpass
    }

    /// Gatehouse sends a description of its own toward `leg` again, as an offer (a session refresh): a DTLS line
    /// in it makes the answer's line DTLS too, and its `a=setup` keeps the association as it is when the far end
    /// keeps its role.
    mutating func takeReoffer(_ media: MediaDescription, index: Int, toward leg: MediaLeg) {
        if media.port != 0, media.proto.isRTP, media.proto.usesDTLS {
            offeredToward[leg, default: []].insert(index)
        } else {
            offeredToward[leg]?.remove(index)
        }
    }

    /// Gatehouse's offer toward `leg` on stream `index` is not DTLS (SDES or plain).
    mutating func forgetOffer(toward leg: MediaLeg, index: Int) {
        offeredToward[leg]?.remove(index)
    }

    // MARK: An answer crossing from `leg`

    /// Takes stream `index` of `leg`'s answer: its DTLS setup when Gatehouse offered DTLS (nil otherwise, or for a
    /// rejected line). Throws when the answer drops DTLS, or adds it to an offer without it, or its roles or
    /// fingerprints cannot form an association.
    mutating func takeAnswer(
        _ media: MediaDescription, index: Int, from leg: MediaLeg, in session: SessionDescription
    ) throws(MediaAnchorError) -> DTLSLegSetup? {
        guard media.port != 0, media.proto.isRTP else { return nil }
        guard offered(toward: leg, index: index) else {
            guard !media.proto.usesDTLS else {
                throw MediaAnchorError(
                    .dtlsNotAllowed, status: 488, detail: "The \(leg) leg answered DTLS-SRTP to an offer without it")
            }
            return nil
        }
        guard media.proto.usesDTLS else {
            throw MediaAnchorError(
                .srtpRequired, status: 488, detail: "The \(leg) leg's answer drops the DTLS-SRTP Gatehouse offered")
        }
        let answered = media.attributes.setup ?? session.attributes.setup
        return try Self.setup(media, in: session, from: leg, offer: .actpass, answer: answered, localIsOfferer: true)
            .get()
    }

    /// Writes Gatehouse's answer for stream `index` toward `leg`, whose offer was DTLS: the proto it offered, the
    /// fingerprint, and the answering role. Nothing when that offer was not DTLS.
    func writeAnswer(_ media: inout MediaDescription, index: Int, toward leg: MediaLeg) {
        guard let record = offersFrom[leg]?[index], let localFingerprint else { return }
        media.proto = record.proto
        guard media.port != 0 else { return }
        media.attributes.fingerprints = [localFingerprint]
        media.attributes.setup = SetupRole.answer(toOffer: record.setup)
    }

    /// Gatehouse's role and the far end's fingerprints for one exchange; 488 when either is unusable.
    private static func setup(
        _ media: MediaDescription, in session: SessionDescription, from leg: MediaLeg, offer: SetupRole?,
        answer: SetupRole?, localIsOfferer: Bool
    ) -> Result<DTLSLegSetup, MediaAnchorError> {
        let fingerprints =
            media.attributes.fingerprints.isEmpty ? session.attributes.fingerprints : media.attributes.fingerprints
        guard !ExpectedFingerprint.usable(fingerprints).isEmpty else {
            return .failure(
                MediaAnchorError(
                    .dtlsSetupRefused, status: 488, detail: "No a=fingerprint Gatehouse can check from the \(leg) leg"))
        }
        let role: DTLSRole?
        do {
            role = try DTLSRole.negotiate(offer: offer, answer: answer, localIsOfferer: localIsOfferer)
        } catch {
            return .failure(MediaAnchorError(.dtlsSetupRefused, status: 488, detail: "\(leg) leg: \(error)"))
        }
        guard let role else {
            return .failure(
                MediaAnchorError(
                    .dtlsSetupRefused, status: 488, detail: "The \(leg) leg holds the DTLS connection (holdconn)"))
        }
        return .success(DTLSLegSetup(role: role, remoteFingerprints: fingerprints))
    }
}
