import SDP

/// The SDP side of anchoring one call's media on Gatehouse (pure): every session description crossing the call is
/// rewritten so that each leg sees only Gatehouse's media address and ports on its own realm, and what the
/// description said about its sender's media is returned for the relay.
///
/// A description from leg X (offer or answer, INVITE, re-INVITE, UPDATE, 18x, 2xx or ACK alike) names X's media:
/// it becomes `StreamSignal`s for X, and toward the other leg Y its `c=`, `m=` ports, `a=rtcp` and its whole `o=`
/// line become Gatehouse's on Y's realm (`LegOrigins`: Gatehouse's session id and version for Y, never X's
/// username or session id); ICE lines go (Gatehouse is the far end now, RFC 8839 gives it nothing to check).
/// Codecs, directions (hold and resume), `a=rtcp-mux` and every other line pass through. The `m=` lines are the
/// streams by position (RFC 3264 §6): a new line gets a port pair on each leg's realm from `allocate`; a line seen
/// before keeps its ports, so a re-INVITE moving an endpoint changes only what the relay sends to. A line that is
/// not RTP (T.38 over UDPTL, TCP media) cannot be relayed here and is disabled (port 0) toward the other leg.
/// SDES-SRTP is terminated on each leg as that leg's `SRTPSettings` say (`SDESNegotiation`): `a=crypto` lines
/// never cross, each leg sees Gatehouse's own keys, and a stream's signal carries the keying the relay needs.
/// DTLS-SRTP likewise (`DTLSNegotiation`): each leg sees only Gatehouse's `a=fingerprint` and its `a=setup`, and
/// the signal carries the role and the far end's fingerprints for the leg's association.
public struct SDPAnchor: Sendable {
    /// Gatehouse's media address on each leg's realm.
    public let localAddresses: [MediaLeg: String]
    /// Each stream's port pair per leg, by `m=` index; nil where no ports were needed (yet).
    public private(set) var ports: [[MediaLeg: UInt16]?] = []
    /// The payload formats (encoding names, upper case) each leg's peer may use; a leg absent here allows any.
    /// A description crossing the call keeps only formats both legs allow (an offer is trimmed, an answer
    /// checked); a stream left with none is disabled, and a description left with no stream is refused (488).
    public var allowedCodecs: [MediaLeg: Set<String>]
    private let srtp: [MediaLeg: SRTPSettings]
    private var sdes: SDESNegotiation
    private var dtls: DTLSNegotiation
    private var origins: LegOrigins

    /// `srtp` is each leg's SRTP setting (absent: `off`); `random` makes Gatehouse's SRTP keys (the system's
    /// CSPRNG unless a test injects its own); `dtlsFingerprint` is the node's DTLS certificate's (nil: no DTLS).
    public init(
        inbound: String, outbound: String, allowedCodecs: [MediaLeg: Set<String>] = [:],
        srtp: [MediaLeg: SRTPSettings] = [:],
        random: any RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        dtlsFingerprint: Fingerprint? = nil
    ) {
        self.localAddresses = [.inbound: inbound, .outbound: outbound]
        self.allowedCodecs = allowedCodecs
        self.srtp = srtp
        var random = random
        // Drawn before the SDES keys, so that an injected generator never puts key bytes into an `o=` line.
        self.origins = LegOrigins(random: &random)
        self.sdes = SDESNegotiation(settings: srtp, random: random)
        self.dtls = DTLSNegotiation(settings: srtp, localFingerprint: dtlsFingerprint)
    }

    /// Whether Gatehouse's last offer toward `leg` on stream `index` was DTLS-SRTP (the relay then expects the
    /// leg's handshake before its answer arrives).
    public func offersDTLS(toward leg: MediaLeg, index: Int) -> Bool {
        dtls.offered(toward: leg, index: index)
    }

    /// Encoding names of the static payload types (RFC 3551 §6) that SDP often leaves without `a=rtpmap`.
    static let staticPayloadNames: [UInt8: String] = [
        0: "PCMU", 3: "GSM", 4: "G723", 8: "PCMA", 9: "G722", 13: "CN", 18: "G729",
    ]

    /// `media` without the formats some leg does not allow; nil when none is left.
    func filteringCodecs(_ media: MediaDescription) -> MediaDescription? {
        guard !allowedCodecs.isEmpty else { return media }
        var filtered = media
        filtered.removeFormats { format in
            guard let payloadType = UInt8(format), payloadType <= 127 else { return false }
            let name =
                media.rtpmap(for: payloadType)?.encodingName.uppercased() ?? Self.staticPayloadNames[payloadType]
            guard let name else { return true }
            return allowedCodecs.values.contains { !$0.contains(name) }
        }
        return filtered.formats.isEmpty ? nil : filtered
    }

    /// Every RTP port this call holds, by leg (for release at the end of the call).
    public var allocatedPorts: [(leg: MediaLeg, port: UInt16)] {
        ports.compactMap { $0 }.flatMap { pair in pair.map { (leg: $0.key, port: $0.value) } }
    }

    /// Rewrites `description`, sent by `leg` as an offer or an answer (`role`), for the other leg.
    /// `allocate(leg)` gives an RTP port on `leg`'s realm (nil when exhausted); what it gave stays allocated even
    /// when a later stream fails, so that `allocatedPorts` can release it. `forwarded` says whether the result goes
    /// to the other leg: only a description sent there counts for the version of the next one (the answer to
    /// Gatehouse's own session refresh stops at Gatehouse).
    public mutating func rewrite(
        _ description: SessionDescription, from leg: MediaLeg, role: SDPRole, forwarded: Bool = true,
        allocate: (MediaLeg) -> UInt16?
    ) throws(MediaAnchorError) -> (description: SessionDescription, signals: [StreamSignal]) {
        var rewritten = description
        let toward = leg.other
        let ours = localAddresses[toward] ?? ""
        let ourType: AddressType = ours.contains(":") ? .ip6 : .ip4
        rewritten.removeICEAttributes()
        // Session-level DTLS lines are the sender's; Gatehouse writes its own per `m=` line.
        rewritten.attributes.fingerprints = []
        rewritten.attributes.setup = nil
        rewritten.origin.address = ours
        rewritten.origin.addressType = ourType
        var signals: [StreamSignal] = []
        var acceptable = 0
        var srtpRefusal: MediaAnchorError?
        for index in description.media.indices {
            var media = description.media[index]
            var keying: SRTPKeying?
            var dtlsSetup: DTLSLegSetup?
            if media.port != 0, media.proto.isRTP {
                if let filtered = filteringCodecs(media) {
                    media = filtered
                    rewritten.media[index].formats = filtered.formats
                    rewritten.media[index].attributes = filtered.attributes
                    rewritten.media[index].attributes.removeICEAttributes()
                    acceptable += 1
                } else {
                    media.port = 0
                }
            }
            switch role {
            case .offer:
                let sdesTaken = sdes.takeOffer(media, index: index, from: leg)
                let dtlsTaken = dtls.takeOffer(media, index: index, from: leg, in: description)
                switch (sdesTaken, dtlsTaken) {
                case (.success(let taken), .success(let setup)):
                    (keying, dtlsSetup) = (taken, setup)
                case (.failure(let refusal), _), (_, .failure(let refusal)):
                    srtpRefusal = refusal
                    media.port = 0
                    acceptable -= 1
                }
            case .answer:
                keying = try sdes.takeAnswer(media, index: index, from: leg)
                dtlsSetup = try dtls.takeAnswer(media, index: index, from: leg, in: description)
            }
            let heldByAddress = description.effectiveConnections(of: media).first?.isUnspecifiedAddress ?? false
            let connection = Connection(addressType: ourType, address: heldByAddress ? unspecified(ourType) : ours)
            if !media.connections.isEmpty { rewritten.media[index].connections = [connection] }
            guard media.port != 0, media.proto.isRTP else {
                // Rejected or disabled, or not RTP: nothing to relay, so nothing of the sender's is shown.
                rewritten.media[index].port = 0
                writeSecurity(&rewritten.media[index], index: index, toward: toward, role: role)
                signals.append(
                    signal(
                        index, from: leg, of: description, media: media, ports: [:], reachable: false, srtp: nil,
                        dtls: nil))
                continue
            }
            let pair = try ports(for: index, allocate: allocate)
            let local = pair[toward] ?? 0
            rewritten.media[index].port = local
            if let rtcp = media.attributes.rtcp {
                rewritten.media[index].attributes.rtcp = RTCPAttribute(
                    port: local &+ 1, connection: rtcp.connection == nil ? nil : connection)
            }
            writeSecurity(&rewritten.media[index], index: index, toward: toward, role: role)
            signals.append(
                signal(
                    index, from: leg, of: description, media: media, ports: pair, reachable: !heldByAddress,
                    srtp: keying, dtls: dtlsSetup))
        }
        if acceptable == 0, description.media.contains(where: { $0.port != 0 && $0.proto.isRTP }) {
            throw srtpRefusal ?? MediaAnchorError(.noAcceptableCodec, status: 488, detail: "No codec both sides allow")
        }
        if description.connection != nil || description.media.contains(where: \.connections.isEmpty) {
            let heldByAddress = description.connection?.isUnspecifiedAddress ?? false
            rewritten.connection = Connection(
                addressType: ourType, address: heldByAddress ? unspecified(ourType) : ours)
        }
        rewritten = origins.stamped(rewritten, toward: toward)
        if forwarded { origins.send(rewritten, toward: toward) }
        return (rewritten, signals)
    }

    /// Gatehouse offers `description`, which it sent toward `leg` before (its last offer or answer there), again
    /// (a session refresh): the leg's answer is then taken as answering it, keys included.
    public mutating func reoffer(_ description: SessionDescription, toward leg: MediaLeg) {
        for (index, media) in description.media.enumerated() {
            sdes.takeReoffer(media, index: index, toward: leg)
            dtls.takeReoffer(media, index: index, toward: leg)
        }
    }

    private func unspecified(_ type: AddressType) -> String { type == .ip6 ? "::" : "0.0.0.0" }

    /// The proto, `a=crypto`, `a=fingerprint` and `a=setup` lines toward `leg`: Gatehouse's own, never the
    /// sender's. An offer is SRTP as the leg's mode says (`optional`: when the other leg's offer was), keyed by the
    /// leg's first key exchange.
    private mutating func writeSecurity(
        _ media: inout MediaDescription, index: Int, toward leg: MediaLeg, role: SDPRole
    ) {
        media.attributes.fingerprints = []
        media.attributes.setup = nil
        switch role {
        case .offer:
            let otherLegIsSecure =
                sdes.tookSecureOffer(from: leg.other, index: index) || dtls.tookOffer(from: leg.other, index: index)
            let secure =
                switch (srtp[leg] ?? SRTPSettings()).mode {
                case .off: false
                case .optional: otherLegIsSecure
                case .required: true
                }
            let viaDTLS = secure && dtls.prefersDTLS(toward: leg)
            sdes.writeOffer(&media, index: index, toward: leg, secure: secure && !viaDTLS)
            if viaDTLS {
                dtls.writeOffer(&media, index: index, toward: leg)
            } else {
                dtls.forgetOffer(toward: leg, index: index)
            }
        case .answer:
            sdes.writeAnswer(&media, index: index, toward: leg)
            dtls.writeAnswer(&media, index: index, toward: leg)
        }
    }

    /// The stream's ports, allocating a pair on both legs' realms the first time it carries media (or what an
    /// exhausted pool left missing last time).
    private mutating func ports(
        for index: Int, allocate: (MediaLeg) -> UInt16?
    ) throws(MediaAnchorError) -> [MediaLeg: UInt16] {
        while ports.count <= index { ports.append(nil) }
        var pair = ports[index] ?? [:]
        for leg in MediaLeg.allCases where pair[leg] == nil {
            guard let port = allocate(leg) else {
                ports[index] = pair.isEmpty ? nil : pair
                throw MediaAnchorError(
                    .portsExhausted, status: 503, detail: "No media ports left on the \(leg) leg's realm")
            }
            pair[leg] = port
        }
        ports[index] = pair
        return pair
    }

    /// What `media` (line `index` of `description`, from `leg`) says about the sender's end of the stream.
    private func signal(
        _ index: Int, from leg: MediaLeg, of description: SessionDescription, media: MediaDescription,
        ports: [MediaLeg: UInt16], reachable: Bool, srtp: SRTPKeying?, dtls: DTLSLegSetup?
    ) -> StreamSignal {
        let host = description.effectiveConnections(of: media).first?.address
        var rtp: StreamSignal.HostPort?
        var rtcp: StreamSignal.HostPort?
        if reachable, media.port != 0, let host {
            rtp = StreamSignal.HostPort(host: host, port: media.port)
            let attribute = media.attributes.rtcp
            rtcp = StreamSignal.HostPort(
                host: attribute?.connection?.address ?? host, port: attribute?.port ?? media.port &+ 1)
        }
        let clockRate = media.payloadTypes.first.flatMap { media.rtpmap(for: $0)?.clockRate } ?? 8000
        return StreamSignal(
            index: index, leg: leg, localPorts: ports, rtp: rtp, rtcp: rtcp, rtcpMux: media.attributes.rtcpMux,
            direction: description.effectiveDirection(of: media), clockRate: clockRate, srtp: srtp, dtls: dtls)
    }
}
