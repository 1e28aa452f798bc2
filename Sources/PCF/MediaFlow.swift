import SDP

/// One media flow of a session, as the PCF sees it: an `m=` line both sides kept, the codecs they agreed on, and
/// the bandwidth it needs (3GPP's "media component", TS 29.214 §5.3.19).
public struct MediaFlow: Sendable, Hashable, Codable {
    /// The `m=` line's index in the session description.
    public var index: Int
    /// `audio`, `video`, … as on the `m=` line.
    public var media: String
    /// Every format the flow may carry, by encoding name, in preference order.
    public var codecs: [String]
    /// The format whose rate sizes the flow: the answer's first non-auxiliary one, or for an offer alone the
    /// cheapest it offers (what the session needs at least).
    public var codec: String?
    /// `sendrecv`, `sendonly`, `recvonly` or `inactive`, as the answer (or the offer alone) has it.
    public var direction: String
    /// The ports the offerer and the answerer gave on the `m=` line.
    public var offerPort: Int
    public var answerPort: Int?
    /// Bits per second at the IP layer (`CodecBitrate`); 0 for an inactive flow.
    public var bitrate: Int

    public init(
        index: Int, media: String, codecs: [String], codec: String?, direction: String, offerPort: Int,
        answerPort: Int?, bitrate: Int
    ) {
        self.index = index
        self.media = media
        self.codecs = codecs
        self.codec = codec
        self.direction = direction
        self.offerPort = offerPort
        self.answerPort = answerPort
        self.bitrate = bitrate
    }

    /// The flows of a session: every `m=` line of `offer` that neither side rejected (port 0), described from the
    /// `answer` when there is one (RFC 3264 §6: the answer's formats are the ones agreed on).
    public static func flows(
        offer: SessionDescription, answer: SessionDescription?, variableBitrate: Int
    ) -> [MediaFlow] {
        var flows: [MediaFlow] = []
        for (index, offered) in offer.media.enumerated() where !offered.isRejected {
            let answered = answer.flatMap { index < $0.media.count ? $0.media[index] : nil }
            if answer != nil && (answered == nil || answered?.isRejected == true) { continue }
            let source = answered ?? offered
            let description = answer ?? offer
            let isIPv6 = description.effectiveConnections(of: source).first?.addressType == .ip6
            let direction = description.effectiveDirection(of: source)
            let rates = source.formats.map { format in
                (
                    format: format,
                    rate: CodecBitrate.bitrate(
                        of: format, in: source, isIPv6: isIPv6, variableRate: variableBitrate)
                )
            }
            let sizing = rates.filter {
                !CodecBitrate.auxiliary.contains(CodecBitrate.encodingName(of: $0.format, in: source).lowercased())
            }
            let chosen = answered != nil ? sizing.first : sizing.min { $0.rate < $1.rate }
            flows.append(
                MediaFlow(
                    index: index, media: source.type.rawValue,
                    codecs: source.formats.map { CodecBitrate.encodingName(of: $0, in: source) },
                    codec: chosen.map { CodecBitrate.encodingName(of: $0.format, in: source) },
                    direction: direction.rawValue, offerPort: Int(offered.port),
                    answerPort: answered.map { Int($0.port) },
                    bitrate: direction == .inactive ? 0 : chosen?.rate ?? 0))
        }
        return flows
    }
}
