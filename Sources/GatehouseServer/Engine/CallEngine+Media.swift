import GatehousePolicy
import Media
import SDP
import SIPMessage
import SIPStack

/// Media anchoring for calls between two realms that both have `media:` in the policy: every SDP body crossing
/// the call (offers and answers in INVITE, re-INVITE, UPDATE, PRACK, 18x, 2xx and ACK) is rewritten for the leg it
/// goes to by the call's `MediaSession`, which also relays the streams. Calls where either realm has no `media:`
/// are not anchored and their SDP crosses unchanged.
extension CallEngine {
    /// The call's media session when both realms anchor media; nil otherwise. Each peer's `codecs` limits the
    /// formats on the call, and its `srtp` (else its realm's) decides SRTP on its leg; silence ends the call
    /// (`mediaTimedOut`).
    func makeMediaSession(
        call id: Int, inboundRealm: String, outboundRealm: String, caller: Peer?, callee: Peer?
    ) -> MediaSession? {
        guard let inbound = policy.realm(named: inboundRealm)?.media,
            let outbound = policy.realm(named: outboundRealm)?.media
        else { return nil }
        var codecs: [MediaLeg: Set<String>] = [:]
        codecs[.inbound] = caller?.codecs
        codecs[.outbound] = callee?.codecs
        var inboundLeg = MediaRealmConfiguration(inbound)
        var outboundLeg = MediaRealmConfiguration(outbound)
        if let srtp = caller?.srtp { inboundLeg.srtp = SRTPSettings(srtp) }
        if let srtp = callee?.srtp { outboundLeg.srtp = SRTPSettings(srtp) }
        return mediaRelay.makeSession(
            inbound: inboundLeg, outbound: outboundLeg, codecs: codecs,
            onDTLSFailure: { [self] failure in loop.execute { self.dtlsFailed(failure, call: id) } },
            onSilence: { [self] in loop.execute { self.mediaTimedOut(id) } })
    }

    /// A leg's DTLS-SRTP association failed (a certificate that does not match the leg's fingerprint, an alert, no
    /// answer): the relay forwards nothing on that leg, which the media timeout ends in time; here it is counted
    /// by reason and logged once.
    func dtlsFailed(_ failure: DTLSLegFailure, call id: Int) {
        let leg = failure.leg == .inbound ? "caller" : "callee"
        metrics.dtlsAssociationFailed(leg: leg, reason: failure.error.code)
        logger.warning(
            "DTLS-SRTP association failed",
            metadata: [
                "call": "\(id)", "stream": "\(failure.stream)", "leg": "\(leg)",
                "reason": "\(failure.error.code)", "detail": "\(failure.error.detail)",
            ])
    }

    /// Rewrites `message`'s SDP body, received on `side`, for the other leg (and notes it as the last one sent
    /// there, for session refreshes); a message without an SDP body, or a call without media anchoring, is left
    /// alone. A response's body is an answer when `request` (what it answers) carried an offer, and an offer
    /// otherwise (RFC 3261 §13.2.1); a request's body is an offer, except in ACK and PRACK, which answer one.
    func anchorMedia(
        in message: inout SIPMessage, from side: CallLegs.Side, answering request: SIPMessage? = nil,
        session: MediaSession?, legs: inout CallLegs
    ) throws(MediaAnchorError) {
        try controlPolicy(for: message, from: side, session: session, legs: legs)
        guard let session, !message.body.isEmpty,
            let type = try? message.headers.first(.contentType, as: ContentType.self), type.isSDP
        else { return }
        let description: SessionDescription
        do {
            description = try SessionDescription(parsing: message.body)
        } catch {
            throw MediaAnchorError(.unreadableSDP, status: 488, detail: "Unreadable SDP: \(error.code)")
        }
        let role: SDPRole
        if let request {
            role = request.body.isEmpty ? .offer : .answer
        } else {
            role = message.method == .ack || message.method == .prack ? .answer : .offer
        }
        let rewritten = try session.anchor(description, from: side == .inbound ? .inbound : .outbound, role: role)
        message.body = ArraySlice(rewritten.serialized().utf8)
        legs.rememberSessionDescription(of: message, sentOn: side.other)
    }

    /// No media on the call for the realms' timeout: an answered call is hung up on both legs, one still ringing is
    /// abandoned (the caller gets 408, the callee a CANCEL).
    func mediaTimedOut(_ id: Int) {
        guard let call = calls[id] else { return }
        logger.notice("media timeout", metadata: ["call": "\(id)"])
        if call.isAnswered {
            hangUp(id, cause: 408, reason: "Media timeout")
        } else {
            abandon(call, answering: .requestTimeout, reason: "media timeout")
        }
    }

    /// A response whose SDP cannot be anchored is not relayed: the call ends (a 2xx nobody acknowledges is
    /// acknowledged and hung up when it comes again, `releaseOrphanAnswer`).
    func mediaFailed(_ error: MediaAnchorError, call: Call) {
        logger.warning(
            "cannot anchor the call's media",
            metadata: ["call": "\(call.id)", "error": "\(error.code): \(error.detail)"])
        if call.isAnswered {
            hangUp(call.id, cause: error.status, reason: error.detail)
        } else {
            abandon(call, answering: SIPStatus(error.status, error.detail), reason: "media: \(error.detail)")
        }
    }

    /// The end of a call's media: what its streams carried is logged, and the ports go back to their pools.
    func releaseMedia(of call: Call) {
        guard let session = call.media else { return }
        let logger = logger
        let metrics = metrics
        session.reports().whenSuccess { reports in
            for report in reports {
                metrics.mediaStreamEnded(caller: report.inbound, callee: report.outbound)
                logger.info(
                    "media stream ended",
                    metadata: [
                        "call": "\(call.id)", "stream": "\(report.index)",
                        "inbound": "\(report.inbound.summary)", "outbound": "\(report.outbound.summary)",
                    ])
            }
        }
        session.close()
    }
}

extension MediaRealmConfiguration {
    init(_ settings: MediaSettings) {
        self.init(
            address: settings.address, ports: settings.ports, timeout: settings.timeout,
            latching: settings.latching == .signalled ? .signalledHostOnly : .anySource,
            srtp: SRTPSettings(settings.srtp))
    }
}

extension SRTPSettings {
    /// The policy's SRTP setting for the relay; suite names were checked when the policy was loaded.
    init(_ policy: SRTPPolicy) {
        let mode: SRTPMode =
            switch policy.mode {
            case .off: .off
            case .optional: .optional
            case .required: .required
            }
        let exchanges: [SRTPKeyExchange] = policy.keyExchanges.map {
            switch $0 {
            case .sdes: .sdes
            case .dtls: .dtls
            }
        }
        self.init(
            mode: mode, suites: policy.suites?.compactMap(SRTPCryptoSuite.init(rawValue:)) ?? [],
            keyExchanges: exchanges)
    }
}

extension StreamReport.Leg {
    /// One line for the log: packets, losses and, on an SRTP leg, its suite and what failed authentication.
    var summary: String {
        var text = "\(rtpPackets) pkts, \(lost) lost"
        if let srtpSuite {
            text += ", SRTP \(srtpSuite): \(srtpAuthenticationFailures) auth failures, \(srtpReplays) replays"
        }
        if let dtlsFailure { text += ", DTLS failed: \(dtlsFailure)" }
        return text
    }
}
