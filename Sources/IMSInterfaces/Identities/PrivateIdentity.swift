/// A subscriber's private user identity (IMPI, 3GPP TS 23.003 §13.3): the name it authenticates with, in the form
/// `user@realm` (a NAI). It appears in the Authorization header's `username` and never in routing.
public struct PrivateIdentity: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The identity as provisioned; compared exactly, except that the realm after `@` is case-insensitive.
    public let value: String

    /// Returns nil for an empty text or one with whitespace or control characters.
    public init?(_ text: String) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { return nil }
        if let at = text.lastIndex(of: "@") {
            value = text[..<at] + "@" + text[text.index(after: at)...].lowercased()
        } else {
            value = text
        }
    }

    /// The realm part (after the last `@`), or nil for a bare user name.
    public var realm: String? {
        guard let at = value.lastIndex(of: "@") else { return nil }
        return String(value[value.index(after: at)...])
    }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}
