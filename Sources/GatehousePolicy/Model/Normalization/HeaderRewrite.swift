import SIPMessage

/// A `rewrite` action: in each value of `target`, the first match of `pattern` in `part` is replaced by
/// `replacement` (with `$1`… for the pattern's groups). A value where the pattern finds no match is left alone.
public struct HeaderRewrite: Hashable, Sendable {
    public var target: HeaderTarget
    public var part: URIPart
    public var pattern: RewritePattern
    public var replacement: RewriteReplacement

    public init(target: HeaderTarget, part: URIPart = .value, pattern: RewritePattern, replacement: RewriteReplacement)
    {
        self.target = target
        self.part = part
        self.pattern = pattern
        self.replacement = replacement
    }
}

/// What a rewrite or a header condition reads: a header field, or the Request-URI.
public enum HeaderTarget: Hashable, Sendable, CustomStringConvertible {
    case header(HeaderName)
    /// The Request-URI of a request, written `request_uri` in the policy. Responses have none.
    case requestURI

    /// How the policy writes it.
    public static let requestURIName = "request_uri"

    public var description: String {
        switch self {
        case .header(let name): name.canonical
        case .requestURI: Self.requestURIName
        }
    }
}

/// The part of a value a rewrite works on.
public enum URIPart: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The whole value of each field (for `request_uri`, the whole URI).
    case value
    /// The user of a SIP URI, unescaped, or the number of a tel URI.
    case user
    /// The host of a SIP URI (without the port).
    case host
    /// The URI parameters, as written after the first `;` (`transport=tcp;lr`), without the leading `;`.
    case params

    /// Whether the part lies inside a URI (every part but `value`).
    public var isURIPart: Bool { self != .value }

    public var description: String { rawValue }
}
