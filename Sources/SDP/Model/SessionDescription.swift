/// A session description (RFC 8866, formerly RFC 4566): the session-level lines and the media sections.
///
/// The model is lossless for what a border controller relays: typed fields for the lines it reads or rewrites
/// (`o=`, `c=`, `m=`, …), every `a=` line as an ordered raw list with typed views over it (`SDPAttributes`), and
/// lines of unknown type kept with their position (`UnknownLine`). Parsing a description whose lines are in RFC
/// order and serializing it gives the same bytes back (with CRLF line endings).
///
/// Session-level order (RFC 8866 §5): `v o s i u e* p* c b* (t r*)+ z k a* (m …)*`.
public struct SessionDescription: Hashable, Sendable {
    /// `v=`; always 0.
    public var version: Int
    /// `o=`
    public var origin: Origin
    /// `s=`; free text, `-` or a single space when there is nothing to say.
    public var sessionName: String
    /// `i=`
    public var information: String?
    /// `u=`
    public var uri: String?
    /// `e=`
    public var emails: [String]
    /// `p=`
    public var phones: [String]
    /// Session-level `c=`; the default for media sections without their own.
    public var connection: Connection?
    /// `b=`
    public var bandwidths: [Bandwidth]
    /// `t=` with their `r=`. RFC 8866 requires at least one; the parser accepts none because some user agents omit it.
    public var timings: [Timing]
    /// `z=`, kept as text.
    public var timeZones: String?
    /// `k=` (obsolete; kept for relay only).
    public var encryptionKey: String?
    /// Session-level `a=` lines in order.
    public var attributes: SDPAttributes
    /// `m=` sections in order; their index is what offer/answer matches on (RFC 3264 §6).
    public var media: [MediaDescription]
    /// Session-level lines of unknown type; see `UnknownLine`.
    public var unknownLines: [UnknownLine]

    public init(
        version: Int = 0, origin: Origin, sessionName: String = "-", information: String? = nil,
        uri: String? = nil, emails: [String] = [], phones: [String] = [], connection: Connection? = nil,
        bandwidths: [Bandwidth] = [], timings: [Timing] = [Timing()], timeZones: String? = nil,
        encryptionKey: String? = nil, attributes: SDPAttributes = [], media: [MediaDescription] = [],
        unknownLines: [UnknownLine] = []
    ) {
        self.version = version
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.uri = uri
        self.emails = emails
        self.phones = phones
        self.connection = connection
        self.bandwidths = bandwidths
        self.timings = timings
        self.timeZones = timeZones
        self.encryptionKey = encryptionKey
        self.attributes = attributes
        self.media = media
        self.unknownLines = unknownLines
    }

    /// Parses with the default limits and attribute validation; see `SDPParser`.
    public init(parsing bytes: some Collection<UInt8>, limits: SDPLimits = SDPLimits()) throws(SDPParseError) {
        self = try SDPParser(limits: limits).parse(bytes)
    }

    public init(parsing text: String, limits: SDPLimits = SDPLimits()) throws(SDPParseError) {
        self = try SDPParser(limits: limits).parse(text.utf8)
    }
}

extension SessionDescription {
    /// The direction that applies to a media section: its own attribute, else the session's, else `sendrecv`
    /// (RFC 3264 §5.1, RFC 8866 §6.7).
    public func effectiveDirection(of media: MediaDescription) -> Direction {
        media.attributes.direction ?? attributes.direction ?? .sendrecv
    }

    /// The connections that apply to a media section: its own `c=` lines, else the session-level one
    /// (RFC 8866 §5.7).
    public func effectiveConnections(of media: MediaDescription) -> [Connection] {
        if !media.connections.isEmpty { return media.connections }
        return connection.map { [$0] } ?? []
    }

    /// Whether a media section is on hold in the sense of RFC 3264 §8.4: `sendonly` or `inactive`, or a connection
    /// address of `0.0.0.0` (the RFC 2543 convention, still sent by old equipment).
    public func isOnHold(_ media: MediaDescription) -> Bool {
        switch effectiveDirection(of: media) {
        case .sendonly, .inactive: return true
        case .sendrecv, .recvonly: return effectiveConnections(of: media).contains { $0.isUnspecifiedAddress }
        }
    }

    /// Removes every ICE attribute (RFC 8839 §5) at the session level and in every media section, which is what
    /// an anchoring SBC does before it offers its own address.
    public mutating func removeICEAttributes() {
        attributes.removeICEAttributes()
        for index in media.indices { media[index].attributes.removeICEAttributes() }
    }

    /// `a=group` lines at the session level (RFC 5888 §5), e.g. `BUNDLE` (RFC 9143).
    public var groups: [MediaGroup] { attributes.all(MediaGroup.self) }
}

extension SessionDescription: CustomStringConvertible {
    public var description: String { serialized() }
}
