/// One `m=` section and the lines under it (RFC 8866 §5.14): `m i c* b* k a*`.
///
/// Every field is a plain value, so a media anchor rewrites a stream by assignment (`port`, `connections`,
/// `attributes.crypto`, …) and everything it does not touch, unknown attributes included, is written back as it was.
public struct MediaDescription: Hashable, Sendable {
    public var type: MediaType
    /// 0 rejects or disables the stream (RFC 3264 §6, §8.2).
    public var port: UInt16
    /// The `/<number of ports>` suffix, when present (RFC 8866 §5.14; hierarchical encoding, rare).
    public var portCount: Int?
    public var proto: TransportProtocol
    /// RTP payload type numbers as text for RTP profiles, other tokens (`t38`, `webrtc-datachannel`) otherwise.
    public var formats: [String]
    /// `i=`
    public var information: String?
    /// `c=`; several for layered multicast. Empty means the session-level one applies.
    public var connections: [Connection]
    /// `b=`
    public var bandwidths: [Bandwidth]
    /// `k=` (obsolete; kept for relay only).
    public var encryptionKey: String?
    /// Every `a=` line in order.
    public var attributes: SDPAttributes
    /// Lines of types not defined inside a media section; see `UnknownLine`.
    public var unknownLines: [UnknownLine]

    public init(
        type: MediaType, port: UInt16, portCount: Int? = nil, proto: TransportProtocol, formats: [String],
        information: String? = nil, connections: [Connection] = [], bandwidths: [Bandwidth] = [],
        encryptionKey: String? = nil, attributes: SDPAttributes = [], unknownLines: [UnknownLine] = []
    ) {
        self.type = type
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.information = information
        self.connections = connections
        self.bandwidths = bandwidths
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.unknownLines = unknownLines
    }

    /// Port 0: rejected in an answer, disabled in an offer (RFC 3264 §6, §8.2).
    public var isRejected: Bool { port == 0 }

    /// The formats that are RTP payload type numbers (0–127), in `m=` order. Empty for non-RTP protocols.
    public var payloadTypes: [UInt8] {
        guard proto.isRTP else { return [] }
        return formats.compactMap { format in Lex.decimal(format, as: UInt8.self).flatMap { $0 <= 127 ? $0 : nil } }
    }

    /// The `a=rtpmap` for a payload type. Static payload types (RFC 3551 §6) often have none.
    public func rtpmap(for payloadType: UInt8) -> RTPMap? {
        attributes.all(RTPMap.self).first { $0.payloadType == payloadType }
    }

    /// The `a=fmtp` for a format.
    public func fmtp(for format: String) -> FormatParameters? {
        attributes.all(FormatParameters.self).first { $0.format == format }
    }

    public func fmtp(for payloadType: UInt8) -> FormatParameters? { fmtp(for: String(payloadType)) }

    /// The value of `a=mid` (RFC 9143 §7, RFC 5888 §4).
    public var mid: String? { attributes.value(named: "mid") }

    /// Attributes whose value starts with a format and that belong to it.
    static let perFormatAttributes: Set<String> = ["rtpmap", "fmtp", "rtcp-fb"]

    /// Removes formats from the `m=` line together with the `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` lines that name
    /// them (RFC 3264 §6.1: an answer lists a subset of the offer's formats). `a=rtcp-fb:*` stays.
    /// Leaves `formats` empty if every format matches; the caller decides whether to reject the stream instead.
    public mutating func removeFormats(where shouldRemove: (String) -> Bool) {
        var removed = Set<String>()
        formats.removeAll { format in
            guard shouldRemove(format) else { return false }
            removed.insert(format)
            return true
        }
        guard !removed.isEmpty else { return }
        attributes.removeAll { attribute in
            guard Self.perFormatAttributes.contains(attribute.name), let value = attribute.value else { return false }
            let format = Lex.string(value.utf8.prefix { $0 != Lex.space })
            return removed.contains(format)
        }
    }

    /// Keeps only the listed RTP payload types (and any non-numeric formats), see `removeFormats(where:)`.
    public mutating func retainPayloadTypes(_ keep: Set<UInt8>) {
        removeFormats { format in
            guard let number = Lex.decimal(format, as: UInt8.self) else { return false }
            return !keep.contains(number)
        }
    }
}
