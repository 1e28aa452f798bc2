/// The regular expression of a `rewrite` or of a header condition (Swift `Regex` syntax), compiled when the policy
/// is loaded. Unlike a route's `user` pattern it searches: it may match anywhere in the text, so anchor it with
/// `^…$` to mean the whole text.
///
/// Equality and hashing use the pattern text.
public struct RewritePattern: @unchecked Sendable, Hashable, CustomStringConvertible {
    // Sendable for the reason `UserPattern` gives: nothing mutable is shared once `init` has lowered the program.
    private let regex: Regex<AnyRegexOutput>
    /// The pattern as written in the policy.
    public let pattern: String

    /// Compiles `pattern`; the error is the one a route's `user` pattern gives, with where the problem is.
    public init(_ pattern: String) throws(UserPattern.SyntaxError) {
        do {
            regex = try Regex(pattern)
        } catch {
            throw UserPattern.SyntaxError(message: "\(error)", offset: UserPattern.offset(of: error, in: pattern))
        }
        self.pattern = pattern
        _ = try? regex.firstMatch(in: "")  // lowers the program before the value is shared
    }

    /// Whether the pattern matches somewhere in `text`.
    public func isFound(in text: String) -> Bool { (try? regex.firstMatch(in: text)) != nil }

    /// `text` with the first match replaced by `replacement`, or nil when the pattern does not match.
    public func replacingFirstMatch(in text: String, with replacement: RewriteReplacement) -> String? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        let output = match.output
        let inserted = replacement.expand { group in group < output.count ? output[group].substring : nil }
        return String(text[..<match.range.lowerBound]) + inserted + String(text[match.range.upperBound...])
    }

    /// At least as many capture groups as the pattern has (it may count a `(` inside `\Q…\E` or an extended-mode
    /// comment): a replacement referring to a higher group is certainly a mistake.
    public var captureGroupLimit: Int {
        var count = 0
        var classDepth = 0
        var characters = pattern[...]
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                _ = characters.popFirst()
            case "[":
                classDepth += 1  // classes nest: `[a-z&&[^x]]`, `[[:alpha:]]`
            case "]" where classDepth > 0:
                classDepth -= 1
            case "(" where classDepth == 0:
                if characters.first != "?" {
                    count += characters.first == "*" ? 0 : 1
                } else {
                    // Named groups count: (?<name>…), (?P<name>…), (?'name'…); look-behinds (?<=…) (?<!…) do not.
                    let after = characters.dropFirst()
                    if after.hasPrefix("P<") || after.hasPrefix("'")
                        || (after.hasPrefix("<") && !after.hasPrefix("<=") && !after.hasPrefix("<!"))
                    {
                        count += 1
                    }
                }
            default:
                break
            }
        }
        return count
    }

    public var description: String { pattern }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}
