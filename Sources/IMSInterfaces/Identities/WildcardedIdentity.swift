/// A wildcarded public identity (3GPP TS 23.003 §13.4, TS 29.228 `Wildcarded PSI`/`Wildcarded IMPU`): one
/// provisioned entry that stands for many identities, such as the numbers of an enterprise PBX's block.
///
/// Written as the identity with its variable part between exclamation marks, holding a regular expression:
/// `tel:+1555019!.*!` or `sip:pbx-!\d{4}!@ims.example.net`. Everything outside the marks matches literally.
public struct WildcardedIdentity: Hashable, Sendable, CustomStringConvertible {
    /// As provisioned, with its `!…!` part.
    public let pattern: String
    /// The literal text before the wildcard and after it, and the regular expression between.
    public let prefix: String
    public let suffix: String
    public let expression: String

    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        case noWildcard
        case unbalancedMarks
        case invalidExpression(String)

        public var description: String {
            switch self {
            case .noWildcard: "a wildcarded identity has its variable part between two '!'"
            case .unbalancedMarks: "a wildcarded identity has exactly one '!…!' part"
            case .invalidExpression(let detail): "the expression between the '!' marks is not valid: \(detail)"
            }
        }
    }

    /// Parses `prefix!regex!suffix`; the prefix and suffix are canonicalised like a `PublicIdentity`'s text
    /// (a `tel:` or `sip:` scheme and host in lower case).
    public init(parsing text: String) throws(Problem) {
        let parts = text.split(separator: "!", omittingEmptySubsequences: false)
        guard parts.count > 1 else { throw .noWildcard }
        guard parts.count == 3, !parts[1].isEmpty else { throw .unbalancedMarks }
        do {
            _ = try Regex(String(parts[1]))
        } catch {
            throw .invalidExpression(String(describing: error))
        }
        pattern = text
        let rawPrefix = String(parts[0])
        if let colon = rawPrefix.firstIndex(of: ":") {
            prefix = rawPrefix[..<colon].lowercased() + rawPrefix[colon...]
        } else {
            prefix = rawPrefix
        }
        let rawSuffix = String(parts[2])
        suffix = rawSuffix.hasPrefix("@") ? rawSuffix.lowercased() : rawSuffix
        expression = String(parts[1])
    }

    /// True when the identity falls under this wildcard.
    public func matches(_ identity: PublicIdentity) -> Bool {
        let text = identity.value
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count >= prefix.count + suffix.count else {
            return false
        }
        let middle = text.dropFirst(prefix.count).dropLast(suffix.count)
        guard let regex = try? Regex(expression) else { return false }
        return (try? regex.wholeMatch(in: String(middle))) != nil
    }

    public var description: String { pattern }
}
