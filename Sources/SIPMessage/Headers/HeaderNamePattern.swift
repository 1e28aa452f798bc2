/// A header name, or a prefix wildcard (`X-*`, `P-*`), matched without regard to case. Compact forms match as
/// their long names (`f` is `From`), since `HeaderName` stores the canonical name.
public struct HeaderNamePattern: Sendable, Hashable, CustomStringConvertible {
    /// The lowercased name, or prefix when `isPrefix`.
    public let lowercased: String
    public let isPrefix: Bool

    /// `User-Agent`, `X-*`, `*`; nil for an empty name, a `*` anywhere but at the end, or characters a header
    /// name cannot have (RFC 3261 token characters).
    public init?(_ text: String) {
        let isPrefix = text.hasSuffix("*")
        let body = isPrefix ? text.dropLast() : Substring(text)
        guard isPrefix || !body.isEmpty, body.utf8.allSatisfy(ASCII.isTokenChar) else { return nil }
        self.lowercased = body.lowercased()
        self.isPrefix = isPrefix
    }

    public func matches(_ name: HeaderName) -> Bool {
        let lowered = name.description.lowercased()
        return isPrefix ? lowered.hasPrefix(lowercased) : lowered == lowercased
    }

    public var description: String { isPrefix ? lowercased + "*" : lowercased }
}
